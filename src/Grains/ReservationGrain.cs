using System.Collections.Immutable;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;

namespace BudgetActors.Grains;

/// <summary>
/// One reservation. It takes its holds from the narrowest budget to the widest: every hold but the
/// last is tentative, so a wide budget is only touched once every narrower one has agreed, and a
/// refusal anywhere undoes the holds already taken — all or nothing. Outcomes are stored, so a retry
/// answers the first result.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class ReservationGrain(
    [PersistentState("reservation", StorageNames.Grains)] IPersistentState<ReservationState> storage,
    TenantDirectoryCache directory,
    TimeProvider clock) : Grain, IReservationGrain
{
    private string TenantId => BudgetKey.Split(this.GetPrimaryKeyString()).TenantId;

    private string ReservationId => BudgetKey.Split(this.GetPrimaryKeyString()).Id;

    public async Task<ReserveResult> Reserve(ReserveCommand command)
    {
        var state = storage.State;
        if (state.Fingerprint is not null)
        {
            return state.Fingerprint == command.Fingerprint
                ? state.Reserved!
                : throw new BudgetActorsException(ProblemKind.Conflict,
                    "This idempotency key was already used for a reservation with a different body.");
        }

        var budgetIds = (await RequireTenant()).Scopes.Applicable(command.Attributes);
        var expiresAt = clock.GetUtcNow() + command.Ttl;
        var verdicts = new List<BudgetVerdict>(budgetIds.Length);
        var held = new List<(string Id, bool Tentative)>(budgetIds.Length);
        var refused = false;
        for (var i = 0; i < budgetIds.Length && !refused; i++)
        {
            var tentative = i < budgetIds.Length - 1;
            var outcome = await Budget(budgetIds[i]).Hold(new HoldRequest(ReservationId, command.Estimate, command.Priority, expiresAt, tentative));
            if (outcome is null)
            {
                continue; // deleted since the directory was read: it no longer applies
            }

            verdicts.Add(outcome.Verdict);
            if (outcome.Granted)
            {
                held.Add((budgetIds[i], tentative));
            }
            else
            {
                refused = true;
                verdicts.AddRange(await CheckRemaining(budgetIds[(i + 1)..], command));
            }
        }

        if (refused)
        {
            await Task.WhenAll(held.Select(h => Budget(h.Id).Release(ReservationId)));
        }
        else
        {
            await Task.WhenAll(held.Where(h => h.Tentative).Select(h => Budget(h.Id).Confirm(ReservationId, expiresAt)));
        }

        var combined = CombinedVerdict.Of(verdicts);
        state.Fingerprint = command.Fingerprint;
        state.Attributes = command.Attributes;
        state.Estimate = command.Estimate;
        state.ExpiresAt = expiresAt;
        state.Status = refused ? ReservationStatus.Refused : ReservationStatus.Held;
        state.HeldOn = refused ? [] : [.. held.Select(h => h.Id)];
        state.Reserved = new ReserveResult(!refused, refused ? null : ReservationId, refused ? null : expiresAt,
            combined.Decision, combined.ThrottleFactor, combined.DowngradeTo, combined.BlockedBy, command.Estimate, combined.Budgets);
        await storage.WriteStateAsync();
        return state.Reserved;
    }

    public async Task<CommitResult> Commit(Amount actual)
    {
        var state = storage.State;
        switch (state.Status)
        {
            case ReservationStatus.Committed:
                return state.Committed!;
            case ReservationStatus.None or ReservationStatus.Refused:
                throw BudgetActorsException.ReservationNotFound(ReservationId);
        }

        // The spend is charged to the budgets that apply now; holds on budgets that no longer apply are freed.
        var current = (await RequireTenant()).Scopes.Applicable(state.Attributes);
        var released = HoldIsLive(state) ? state.Estimate : Amount.Zero;
        var statuses = await Task.WhenAll(current.Select(id => Budget(id).Commit(ReservationId, actual)));
        await Task.WhenAll(state.HeldOn.Except(current).Select(id => Budget(id).Release(ReservationId)));

        state.Status = ReservationStatus.Committed;
        state.Committed = new CommitResult(actual, released, [.. statuses.OfType<BudgetStatus>()]);
        await storage.WriteStateAsync();
        return state.Committed;
    }

    public async Task<ReleaseResult> Release()
    {
        var state = storage.State;
        switch (state.Status)
        {
            case ReservationStatus.None or ReservationStatus.Refused:
                throw BudgetActorsException.ReservationNotFound(ReservationId);
            case ReservationStatus.Released:
                return state.Released!;
            case ReservationStatus.Committed:
                return new ReleaseResult(Amount.Zero, state.Committed!.Budgets); // the commit already freed the hold
        }

        var released = HoldIsLive(state) ? state.Estimate : Amount.Zero;
        var statuses = await Task.WhenAll(state.HeldOn.Select(id => Budget(id).Release(ReservationId)));
        state.Status = ReservationStatus.Released;
        state.Released = new ReleaseResult(released, [.. statuses.OfType<BudgetStatus>()]);
        await storage.WriteStateAsync();
        return state.Released;
    }

    /// <summary>After a refusal the budgets further out are asked too, so the answer names every budget that blocks.</summary>
    private async Task<IEnumerable<BudgetVerdict>> CheckRemaining(ImmutableArray<string> budgetIds, ReserveCommand command)
    {
        var verdicts = await Task.WhenAll(budgetIds.Select(id => Budget(id).Check(command.Estimate, command.Priority)));
        return verdicts.OfType<BudgetVerdict>();
    }

    private bool HoldIsLive(ReservationState state) =>
        state.Status == ReservationStatus.Held && clock.GetUtcNow() < state.ExpiresAt;

    private async Task<TenantView> RequireTenant() =>
        await directory.GetAsync(TenantId) ?? throw BudgetActorsException.TenantNotFound(TenantId);

    private IBudgetGrain Budget(string budgetId) => GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(TenantId, budgetId));
}
