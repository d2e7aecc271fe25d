using System.Globalization;

namespace BudgetActors.TestSupport.Failover;

/// <summary>
/// What a silo's death cost the callers of one <see cref="FailoverProbe"/> run, every time from the
/// kill: when the errors stopped, the slowest request, how many 5xx, and whether the ledger holds
/// exactly what was acknowledged.
/// </summary>
/// <param name="Requests">Every HTTP request sent after the warm-up, retries included.</param>
/// <param name="Failures">Operations not acknowledged, or answered otherwise than they should be (a few, for the report).</param>
/// <param name="ServerErrors">Requests answered with a 5xx.</param>
/// <param name="NoAnswers">Requests that got no answer (a network error, or the client's own timeout).</param>
/// <param name="Problems">The errors by what they said (the problem's title, or what the client met).</param>
/// <param name="LastErrorAnswered">When the last error was answered, from the kill; null when there was none.</param>
/// <param name="Slowest">The slowest request of the run (after the warm-up).</param>
/// <param name="SlowestFromKill">The longest any request kept its caller waiting after the kill (a request under way at the kill counts from the kill).</param>
/// <param name="SlowestAcknowledgement">The longest a caller waited after the kill for an operation to be acknowledged, retries included.</param>
/// <param name="PerSecondBefore">Requests answered per second before the kill.</param>
/// <param name="PerSecondAfter">Requests answered per second from 10 s after the kill to the end of the load.</param>
/// <param name="P50">Median request duration over the run (after the warm-up).</param>
/// <param name="P99">99th percentile of request durations over the run (after the warm-up).</param>
/// <param name="P999">99.9th percentile of the same.</param>
public sealed record FailoverFigures(
    FailoverOptions Options,
    int Requests,
    int Operations,
    int NotAcknowledged,
    IReadOnlyList<string> Failures,
    int ServerErrors,
    int NoAnswers,
    IReadOnlyDictionary<string, int> Problems,
    TimeSpan? LastErrorAnswered,
    FailoverAttempt? Slowest,
    TimeSpan SlowestFromKill,
    TimeSpan SlowestAcknowledgement,
    double PerSecondBefore,
    double PerSecondAfter,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan P999,
    IReadOnlyList<FailoverSecond> Timeline,
    LedgerAudit Ledger)
{
    public int Errors => ServerErrors + NoAnswers;

    /// <summary>The measured time: the load before the kill and after it.</summary>
    public TimeSpan Window => Options.BeforeKill + Options.AfterKill;

    /// <summary>Every error answered within <paramref name="bound"/> of the kill, no request slower than it, everything acknowledged, the ledger exact.</summary>
    public bool Within(TimeSpan bound) =>
        (LastErrorAnswered ?? TimeSpan.Zero) <= bound && SlowestFromKill <= bound && NotAcknowledged == 0 && Ledger.Ok;

    /// <param name="all">Every request, those of the warm-up too (left out of the figures: they were sent before <see cref="FailoverOptions.BeforeKill"/>).</param>
    public static FailoverFigures Of(FailoverOptions options, IReadOnlyList<FailoverAttempt> all, IReadOnlyList<FailoverOperation> operations, LedgerAudit ledger)
    {
        var attempts = all.Where(a => a.Start >= -options.BeforeKill).ToList();
        var errors = attempts.Where(a => a.IsError).ToList();
        var durations = attempts.Select(a => a.Duration).Order().ToArray();
        var before = attempts.Count(a => a.End < TimeSpan.Zero);
        var settledFrom = TimeSpan.FromSeconds(10);
        var after = attempts.Count(a => a.End >= settledFrom && a.End < options.AfterKill);
        var timeline = attempts
            .GroupBy(a => (int)Math.Floor(a.End.TotalSeconds))
            .OrderBy(g => g.Key)
            .Select(g => new FailoverSecond(g.Key, g.Count(), g.Count(a => a.IsError)))
            .ToList();
        return new FailoverFigures(
            options,
            attempts.Count,
            operations.Count,
            operations.Count(o => !o.Acknowledged),
            [.. operations.Where(o => !o.Acknowledged).Take(5).Select(o => Invariant($"{o.Kind} {o.Key} at {o.Start.TotalSeconds:0.0} s: {o.Failure}"))],
            errors.Count(a => a.Status >= 500),
            errors.Count(a => a.Status == 0),
            errors.GroupBy(a => a.Status == 0 ? a.Problem ?? "no answer" : $"{a.Status} {a.Problem}").OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            errors.Count == 0 ? null : errors.Max(a => a.End),
            attempts.MaxBy(a => a.Duration),
            attempts.Count == 0 ? TimeSpan.Zero : attempts.Max(a => a.DurationFromKill),
            operations.Where(o => o.End > TimeSpan.Zero).Select(o => o.WaitFromKill).DefaultIfEmpty().Max(),
            before / options.BeforeKill.TotalSeconds,
            options.AfterKill > settledFrom ? after / (options.AfterKill - settledFrom).TotalSeconds : 0,
            Percentile(durations, 0.50),
            Percentile(durations, 0.99),
            Percentile(durations, 0.999),
            timeline,
            ledger);
    }

    /// <summary>The seconds around the kill that had errors, e.g. "0 s: 40 of 310; 1 s: 12 of 95".</summary>
    public string ErrorSeconds => string.Join("; ", Timeline.Where(s => s.Errors > 0).Select(s => Invariant($"{s.Second} s: {s.Errors} of {s.Answered}")));

    public override string ToString()
    {
        var lastError = LastErrorAnswered is { } last ? Invariant($"{last.TotalSeconds:0.0} s after the kill") : "none";
        var slowest = Slowest is { } s
            ? Invariant($"{s.Duration.TotalSeconds:0.00} s ({s.Kind}, sent {s.Start.TotalSeconds:0.0} s from the kill, answered {(s.Status == 0 ? "nothing" : s.Status.ToString(CultureInfo.InvariantCulture))})")
            : "none";
        return Invariant(
                $"{Options.Callers} callers, silo {Options.Silo} killed with SIGKILL after {Options.BeforeKill.TotalSeconds:0} s of load, {Options.AfterKill.TotalSeconds:0} s of load after: ") +
            Invariant($"{Requests} requests ({PerSecondBefore:0}/s before the kill, {PerSecondAfter:0}/s from 10 s after it), {Operations} operations (warm-up included), {NotAcknowledged} not acknowledged; ") +
            (Failures.Count > 0 ? $"e.g. {string.Join(" | ", Failures)}; " : "") +
            Invariant($"last error answered: {lastError}; slowest request {slowest}; longest wait after the kill {SlowestFromKill.TotalSeconds:0.00} s per request, ") +
            Invariant($"{SlowestAcknowledgement.TotalSeconds:0.00} s per operation with its retries; {ServerErrors} × 5xx, {NoAnswers} without an answer") +
            (Problems.Count > 0 ? $" ({string.Join(", ", Problems.Select(p => $"{p.Value} × {p.Key}"))})" : "") +
            $"; errors by second: {(ErrorSeconds.Length > 0 ? ErrorSeconds : "none")}; " +
            Invariant($"p50 {P50.TotalMilliseconds:0} ms, p99 {P99.TotalMilliseconds:0} ms; ledger: {Ledger}");
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, double p) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
