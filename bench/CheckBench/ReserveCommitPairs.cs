using BudgetActors.Grains.Admission;

namespace BudgetActors.CheckBench;

/// <summary>
/// A reservation's whole life on the HTTP host's in-process path: hold the estimate, then commit the
/// actual amount. Every pair uses a new idempotency key, so each is a new reservation (a retry with
/// a used key would only replay the stored answer, which is not what a job costs).
/// </summary>
public sealed class ReserveCommitPairs(BudgetAdmission admission)
{
    public const string Row = "reserve-commit-1";

    // A typical chat completion: held at its estimate, charged a little less.
    private static readonly AmountSpec Estimate = new ExplicitAmount(new Amount(0.012m, 1_500, 1));
    private static readonly CommitRequest Actual = new(new ExplicitAmount(new Amount(0.0093m, 1_180, 1)));
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private long _next;

    public async Task<CommitResult> RunAsync()
    {
        var key = "pair-" + Interlocked.Increment(ref _next);
        var reserved = await admission.Reserve(BenchTenants.OneBudget, new ReserveRequest(key, BenchTenants.Attributes, Estimate, Ttl));
        if (!reserved.Granted || reserved.ReservationId is null)
        {
            throw new InvalidOperationException($"Benchmark setup is wrong: the hold was refused ({reserved.Decision}, blocked by {string.Join(", ", reserved.BlockedBy)}).");
        }

        return await admission.Commit(BenchTenants.OneBudget, reserved.ReservationId, Actual);
    }
}
