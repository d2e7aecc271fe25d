using System.Collections.Concurrent;
using System.Diagnostics;
using BudgetActors.Domain;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Reservations;
using BudgetActors.Grains.Telemetry;
using BudgetActors.Grains.Tiers;

namespace BudgetActors.Grains.Admission;

/// <summary>
/// Admission for one process: checks the request against the rules (<see cref="RequestRules"/>),
/// prices it, finds the budgets that apply from the cached tenant directory, and asks the budgets —
/// a check is answered from the facts that budgets active in this process publish
/// (<see cref="BudgetBoard"/>), and is one grain call, in parallel, for each of the others. Used by
/// the HTTP host in-process and by <see cref="AdmissionGrain"/> for job workers, so every door runs
/// the same rules and a refused request changes nothing.
/// </summary>
public sealed class BudgetAdmission(IGrainFactory grains, TenantDirectoryCache directory, IAmountPricer pricer, BudgetBoard board, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, IReservationBookGrain> _books = new(StringComparer.Ordinal);

    // Tiers: a subject's budgets exist before its first request is decided (one lookup once they do).
    private readonly SubjectBudgets _tiers = new(grains, directory);

    /// <summary>The business clock's now (for a Retry-After computed from an answer's times).</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <param name="door">Where the request came in, for the metrics.</param>
    public async Task<CheckResult> Check(string tenantId, CheckRequest request, AdmissionDoor door = AdmissionDoor.Http)
    {
        var started = Stopwatch.GetTimestamp(); // real time, not the business clock: a latency
        BudgetActorsException.ThrowIfAny(RequestRules.Validate(request));
        var view = await _tiers.ReadyAsync(await directory.RequireAsync(tenantId), request.Attributes);
        var (estimate, rate) = await pricer.PriceAsync(view.Directory, request.Estimate, request.Attributes);
        var budgetIds = view.Scopes.Applicable(request.Attributes);
        var version = view.Directory.Version;
        var now = clock.GetUtcNow();
        var verdicts = new BudgetVerdict?[budgetIds.Length];
        List<Task>? asked = null;
        for (var i = 0; i < budgetIds.Length; i++)
        {
            verdicts[i] = board.TryCheck(tenantId, budgetIds[i], estimate, request.Priority, version, now);
            if (verdicts[i] is null)
            {
                (asked ??= []).Add(Ask(i, view.BudgetGrain(budgetIds[i])));
            }
        }

        if (asked is not null)
        {
            await Task.WhenAll(asked);
        }

        var combined = CombinedVerdict.Of([.. verdicts.OfType<BudgetVerdict>()]);
        BudgetMetrics.Checked(door, combined.Decision, started);
        return new CheckResult(combined.Decision, combined.ThrottleFactor, combined.DowngradeTo, combined.BlockedBy, estimate, combined.Budgets, combined.Reasons, rate);

        async Task Ask(int index, IBudgetGrain budget) => verdicts[index] = await budget.Check(estimate, request.Priority, version);
    }

    public async Task<ReserveResult> Reserve(string tenantId, ReserveRequest request, AdmissionDoor door = AdmissionDoor.Http)
    {
        var started = Stopwatch.GetTimestamp();
        BudgetActorsException.ThrowIfAny(RequestRules.Validate(request));
        var view = await directory.RequireAsync(tenantId);
        var attributes = RequestIdentity.Canonical(request.Attributes);
        view = await _tiers.ReadyAsync(view, attributes);
        var (estimate, rate) = await pricer.PriceAsync(view.Directory, request.Estimate, attributes);
        var fingerprint = RequestIdentity.Fingerprint(attributes, request.Estimate, request.Ttl, request.Priority);
        var reservationId = RequestIdentity.ReservationId(request.IdempotencyKey);
        var result = await Book(tenantId, reservationId)
            .Reserve(reservationId, new ReserveCommand(fingerprint, attributes, estimate, request.Priority, request.Ttl, rate));
        BudgetMetrics.Reserved(door, result.Decision, started);
        return result;
    }

    public async Task<CommitResult> Commit(string tenantId, string reservationId, CommitRequest request)
    {
        BudgetActorsException.ThrowIfAny(RequestRules.Validate(reservationId, request));
        await directory.RequireAsync(tenantId);
        return await Book(tenantId, reservationId).Commit(reservationId, request.Actual); // priced there, with the reservation's attributes
    }

    public async Task<ReleaseResult> Release(string tenantId, string reservationId)
    {
        BudgetActorsException.ThrowIfAny(RequestRules.ReservationId(reservationId));
        await directory.RequireAsync(tenantId);
        return await Book(tenantId, reservationId).Release(reservationId);
    }

    public async Task<UsageResult> RecordUsage(string tenantId, UsageRequest request)
    {
        BudgetActorsException.ThrowIfAny(RequestRules.Validate(request, clock.GetUtcNow()));

        var view = await directory.RequireAsync(tenantId);
        var attributes = RequestIdentity.Canonical(request.Attributes);
        view = await _tiers.ReadyAsync(view, attributes);
        var priced = await pricer.PriceAsync(view.Directory, request.Actual, attributes);
        var fingerprint = RequestIdentity.Fingerprint(attributes, request.Actual, request.Timestamp);
        return await grains.GetGrain<IUsageRecorderGrain>(0)
            .Record(tenantId, RequestIdentity.UsageId(request.IdempotencyKey),
                new UsageCommand(fingerprint, attributes, priced.Amount, request.Timestamp, priced.Rate, priced.Detail));
    }

    // Books are few (a handful per tenant): their references are kept, since making one is not free.
    private IReservationBookGrain Book(string tenantId, string reservationId) =>
        _books.GetOrAdd(ReservationBooks.KeyOf(tenantId, reservationId), static (key, factory) => factory.Get<IReservationBookGrain>(key), grains);
}
