using BudgetActors.Domain;
using System.Collections.Immutable;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using Orleans.Serialization;

namespace BudgetActors.Grains;

/// <summary>
/// One reservation (key <c>tenant/reservationId</c>). It takes tentative holds from the narrowest
/// budget to the widest; a refusal anywhere undoes them (all or nothing). Once every budget agreed,
/// the hold is written to the ledger — only then is it confirmed on the budgets and answered, so a
/// granted reservation survives any crash. Commit and release are ledger entries too. The grain
/// keeps no state of its own: an activation reads its entries back from the ledger.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class ReservationGrain(
    ISpendLedger ledger,
    TenantDirectoryCache directory,
    IAmountPricer pricer,
    Serializer serializer,
    TimeProvider clock) : Grain, IReservationGrain
{
    private Status _status;
    private string? _fingerprint;
    private ImmutableSortedDictionary<string, string> _attributes = ImmutableSortedDictionary<string, string>.Empty;
    private Amount _estimate = Amount.Zero;
    private DateTimeOffset _expiresAt;
    private ImmutableArray<string> _heldOn = [];
    private ReserveResult? _reserved;
    private CommitResult? _committed;
    private ReleaseResult? _released;

    private enum Status
    {
        None,
        Refused,
        Held,
        Released,
        Committed,
    }

    private string TenantId => BudgetKey.Split(this.GetPrimaryKeyString()).TenantId;

    private string ReservationId => BudgetKey.Split(this.GetPrimaryKeyString()).Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await ledger.ReadForReservationAsync(TenantId, ReservationId, cancellationToken))
        {
            Restore(record);
        }
    }

    public async Task<ReserveResult> Reserve(ReserveCommand command)
    {
        if (_fingerprint is not null)
        {
            return _fingerprint == command.Fingerprint
                ? await WithStatuses(_reserved!)
                : throw new BudgetActorsException(ProblemKind.Conflict,
                    "This idempotency key was already used for a reservation with a different body.");
        }

        var budgetIds = (await RequireTenant()).Scopes.Applicable(command.Attributes);
        var now = clock.GetUtcNow();
        var expiresAt = now + command.Ttl;
        var verdicts = new List<BudgetVerdict>(budgetIds.Length);
        var held = new List<string>(budgetIds.Length);
        var refused = false;
        for (var i = 0; i < budgetIds.Length && !refused; i++)
        {
            var outcome = await Budget(budgetIds[i]).Hold(new HoldRequest(ReservationId, command.Estimate, command.Priority, expiresAt, Tentative: true));
            if (outcome is null)
            {
                continue; // deleted since the directory was read: it no longer applies
            }

            verdicts.Add(outcome.Verdict);
            if (outcome.Granted)
            {
                held.Add(budgetIds[i]);
            }
            else
            {
                refused = true;
                verdicts.AddRange(await CheckRemaining(budgetIds[(i + 1)..], command));
            }
        }

        var combined = CombinedVerdict.Of(verdicts);
        var result = new ReserveResult(!refused, refused ? null : ReservationId, refused ? null : expiresAt,
            combined.Decision, combined.ThrottleFactor, combined.DowngradeTo, combined.BlockedBy, command.Estimate, combined.Budgets);
        if (refused)
        {
            await UndoHolds(held);
            (_status, _fingerprint, _reserved) = (Status.Refused, command.Fingerprint, result);
            return result;
        }

        var entry = new LedgerEntry(TenantId, "hold:" + ReservationId, LedgerEntryKind.Hold, ReservationId, [.. held],
            command.Attributes, command.Estimate, expiresAt, command.Fingerprint, now, serializer.SerializeToArray(result));
        AppendResult appended;
        try
        {
            appended = await ledger.AppendAsync(entry);
        }
        catch
        {
            await UndoHolds(held); // not recorded, so not granted
            throw;
        }

        Restore(appended.Record);
        await ApplyToBudgets(appended.Record);
        return appended.Duplicate ? await Reserve(command) : result;
    }

    public async Task<CommitResult> Commit(AmountSpec actualSpec)
    {
        switch (_status)
        {
            case Status.Committed:
                return await WithStatuses(_committed!);
            case Status.None or Status.Refused:
                throw BudgetActorsException.ReservationNotFound(ReservationId);
        }

        // The actual amount replaces the hold on the budgets it was taken on.
        var actual = await pricer.PriceAsync((await RequireTenant()).Directory, actualSpec, _attributes);
        var released = HoldIsLive() ? _estimate : Amount.Zero;
        var record = await Append(LedgerEntryKind.Commit, actual, released);
        var statuses = await ApplyToBudgets(record);
        return _committed = new CommitResult(record.Entry.Amount, _committed!.Released, statuses);
    }

    public async Task<ReleaseResult> Release()
    {
        switch (_status)
        {
            case Status.None or Status.Refused:
                throw BudgetActorsException.ReservationNotFound(ReservationId);
            case Status.Released:
                return await WithStatuses(_released!);
            case Status.Committed:
                return new ReleaseResult(Amount.Zero, (await WithStatuses(_committed!)).Budgets); // the commit freed the hold
        }

        var record = await Append(LedgerEntryKind.Release, Amount.Zero, HoldIsLive() ? _estimate : Amount.Zero);
        var statuses = await ApplyToBudgets(record);
        return _released = new ReleaseResult(_released!.Released, statuses);
    }

    /// <summary>Writes a commit or release of this reservation; a retry after a crash finds the first one.</summary>
    private async Task<LedgerRecord> Append(LedgerEntryKind kind, Amount amount, Amount released)
    {
        var key = (kind == LedgerEntryKind.Commit ? "commit:" : "release:") + ReservationId;
        var appended = await ledger.AppendAsync(new LedgerEntry(TenantId, key, kind, ReservationId, _heldOn, _attributes,
            amount, null, _fingerprint!, clock.GetUtcNow(), serializer.SerializeToArray(released)));
        Restore(appended.Record);
        return appended.Record;
    }

    /// <summary>Rebuilds the reservation's state from one of its ledger entries.</summary>
    private void Restore(LedgerRecord record)
    {
        var entry = record.Entry;
        switch (entry.Kind)
        {
            case LedgerEntryKind.Hold:
                _status = _status == Status.None ? Status.Held : _status;
                _fingerprint = entry.Fingerprint;
                _attributes = entry.Attributes;
                _estimate = entry.Amount;
                _expiresAt = entry.ExpiresAt ?? entry.RecordedAt;
                _heldOn = entry.BudgetIds;
                _reserved = serializer.Deserialize<ReserveResult>(entry.Outcome!)!;
                break;
            case LedgerEntryKind.Release when _status != Status.Committed:
                _status = Status.Released;
                _released = new ReleaseResult(serializer.Deserialize<Amount>(entry.Outcome!)!, []);
                break;
            case LedgerEntryKind.Commit:
                _status = Status.Committed;
                _committed = new CommitResult(entry.Amount, serializer.Deserialize<Amount>(entry.Outcome!)!, []);
                break;
        }
    }

    private async Task<ImmutableArray<BudgetStatus>> ApplyToBudgets(LedgerRecord record)
    {
        var spend = record.ToSpendEvent();
        var statuses = await Task.WhenAll(record.Entry.BudgetIds.Select(id => Budget(id).Apply(spend)));
        return [.. statuses.OfType<BudgetStatus>()];
    }

    private Task UndoHolds(IEnumerable<string> budgetIds) =>
        Task.WhenAll(budgetIds.Select(id => Budget(id).Undo(ReservationId)));

    /// <summary>After a refusal the budgets further out are asked too, so the answer names every budget that blocks.</summary>
    private async Task<IEnumerable<BudgetVerdict>> CheckRemaining(ImmutableArray<string> budgetIds, ReserveCommand command)
    {
        var verdicts = await Task.WhenAll(budgetIds.Select(id => Budget(id).Check(command.Estimate, command.Priority)));
        return verdicts.OfType<BudgetVerdict>();
    }

    // Outcomes read back from the ledger carry no budget statuses: a retry gets the current ones.
    private async Task<ReserveResult> WithStatuses(ReserveResult result) =>
        result.Budgets.IsDefaultOrEmpty && !_heldOn.IsEmpty ? result with { Budgets = await CurrentStatuses() } : result;

    private async Task<CommitResult> WithStatuses(CommitResult result) =>
        result.Budgets.IsDefaultOrEmpty && !_heldOn.IsEmpty ? result with { Budgets = await CurrentStatuses() } : result;

    private async Task<ReleaseResult> WithStatuses(ReleaseResult result) =>
        result.Budgets.IsDefaultOrEmpty && !_heldOn.IsEmpty ? result with { Budgets = await CurrentStatuses() } : result;

    private async Task<ImmutableArray<BudgetStatus>> CurrentStatuses() =>
        [.. (await Task.WhenAll(_heldOn.Select(id => Budget(id).GetStatus()))).OfType<BudgetStatus>()];

    private bool HoldIsLive() => _status == Status.Held && clock.GetUtcNow() < _expiresAt;

    private async Task<TenantView> RequireTenant() =>
        await directory.GetAsync(TenantId) ?? throw BudgetActorsException.TenantNotFound(TenantId);

    private IBudgetGrain Budget(string budgetId) => GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(TenantId, budgetId));
}
