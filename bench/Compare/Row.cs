namespace BudgetActors.Compare;

/// <summary>
/// One measured row of the report, whatever drove it (wrk, a closed loop here, CheckBench,
/// LedgerBench). Latencies are in µs. <see cref="LatencyKind"/> says how they were taken: under the
/// row's load (wrk, the closed loops, LedgerBench), or one call at a time (CheckBench, whose
/// throughput alone is measured under load).
/// </summary>
public sealed record Row(
    string Name,
    RowKind Kind,
    string What,
    string Driver,
    int Concurrency,
    string Unit,
    double PerSecond,
    double P50Us,
    double P99Us,
    double P999Us,
    double MaxUs,
    string LatencyKind,
    long Operations,
    double Seconds,
    IReadOnlyList<double> RoundRates,
    double? ServerCpuUsPerOp = null,
    string? ServerCpuOf = null,
    double? MachineBusyPercent = null,
    long Errors = 0,
    string? Check = null)
{
    public const string UnderLoad = "under load";
    public const string OneAtATime = "one call at a time";
}

public enum RowKind
{
    /// <summary>A path of BudgetActors.</summary>
    Path,

    /// <summary>What a path is compared with.</summary>
    Baseline,
}

/// <summary>The row names the targets and ratios refer to.</summary>
public static class Rows
{
    public const string BareCheck = "bare-check";
    public const string BareReserve = "bare-reserve";
    public const string HttpCheck1 = "http-check-1";
    public const string HttpCheck3 = "http-check-3";
    public const string HttpReserve = "http-reserve";
    public const string ClientCheck1 = "client-check-1";
    public const string RedisHold = "redis-lua-hold";
    public const string PgRowLock32 = "pg-rowlock-32";
    public const string PgRowLock64 = "pg-rowlock-64";
    public const string DurableUsage = "http-usage-durable";
    public const string DurableUsageUnfolded = "http-usage-durable-unfolded";
    public const string HttpCheckPolicies = "http-check-policies";
    public const string HttpUsage = "http-usage";
    public const string HttpUsageAlerting = "http-usage-alerting";

    // CheckBench's rows, under its own names.
    public const string GrainCall = "floor";
    public const string Check1 = "check-1";
    public const string Check3 = "check-3";
    public const string GrainCheck1 = "grain-check-1";
    public const string ReserveCommit = "reserve-commit-1";

    public const string LedgerCallers = "256";
    public const string LedgerGroupCommit = "ledger-group-commit-256";
    public const string LedgerOneRowPerCommit = "ledger-one-row-per-commit-256";
    public const string LedgerOneWriter = "ledger-one-writer-256";
    public const string LedgerTwoWritersA = "ledger-two-writers-a-256";
    public const string LedgerTwoWritersB = "ledger-two-writers-b-256";
}
