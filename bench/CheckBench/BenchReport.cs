using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace BudgetActors.CheckBench;

public sealed record RowResult(string Name, string Description, LatencyResult Latency, ThroughputResult Throughput);

public sealed record TargetResult(string Target, string Measured, bool Met);

/// <summary>A whole run: where it ran, the rows, their ratios to the floor, and the issue's targets.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Machine,
    BenchOptions Options,
    IReadOnlyList<RowResult> Rows,
    IReadOnlyList<TargetResult> Targets)
{
    public const string FloorRow = "floor";
    public const string TargetRow = "check-1";
    public const double TargetP99Us = 60;
    public const double TargetCallsPerSecond = 200_000;

    public static string DescribeMachine() =>
        $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC" +
        $"{(System.Diagnostics.Debugger.IsAttached ? ", DEBUGGER ATTACHED" : "")}";

    public static IReadOnlyList<TargetResult> Evaluate(IReadOnlyList<RowResult> rows)
    {
        var row = rows.FirstOrDefault(r => r.Name == TargetRow);
        if (row is null)
        {
            return [];
        }

        return
        [
            new($"{TargetRow} p99 ≤ {TargetP99Us} µs", $"{F(row.Latency.P99Us)} µs", row.Latency.P99Us <= TargetP99Us),
            new($"{TargetRow} ≥ {TargetCallsPerSecond:N0} checks/s", $"{row.Throughput.CallsPerSecond:N0} checks/s", row.Throughput.CallsPerSecond >= TargetCallsPerSecond),
        ];
    }

    public string ToTable()
    {
        var floor = Rows.FirstOrDefault(r => r.Name == FloorRow);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"row",-15} {"p50 µs",8} {"p90 µs",8} {"p99 µs",8} {"p99.9 µs",9} {"B/call",8} {"calls/s",10}   {"p50×",5} {"p99×",5} {"thr×",5}");
        foreach (var row in Rows)
        {
            var (l, t) = (row.Latency, row.Throughput);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Name,-15} {F(l.P50Us),8} {F(l.P90Us),8} {F(l.P99Us),8} {F(l.P999Us),9} {l.AllocatedBytesPerCall,8:F0} {t.CallsPerSecond,10:N0}   " +
                $"{Ratio(l.P50Us, floor?.Latency.P50Us),5} {Ratio(l.P99Us, floor?.Latency.P99Us),5} {Ratio(t.CallsPerSecond, floor?.Throughput.CallsPerSecond),5}");
        }

        return text.ToString();
    }

    public string ToMarkdown(string? note)
    {
        var floor = Rows.FirstOrDefault(r => r.Name == FloorRow);
        var md = new StringBuilder();
        md.AppendLine("# CheckBench results").AppendLine();
        if (note is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"> {note}").AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"- run: {StartedAt:u}{(Options.Quick ? " (--quick)" : "")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {Machine}");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- method: every row warmed up under load for {Options.JitWarmup.TotalSeconds:0.##} s first; then {Options.Rounds} rounds, each visiting every row in turn. " +
            $"Latency: {Options.Samples:N0} sequential samples per row (one call outstanding), after {Options.WarmupCalls:N0} warm-up calls per round. " +
            $"Throughput: {Options.Concurrency} concurrent callers in a closed loop, {Options.ThroughputDuration.TotalSeconds:0.##} s per row in all, " +
            $"each round's window after {Options.ThroughputWarmup.TotalSeconds:0.##} s of load.");
        md.AppendLine();
        md.AppendLine("| row | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | bytes/call | calls/s | calls/s, rounds min–max | p50 × floor | p99 × floor | calls/s × floor |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in Rows)
        {
            var (l, t) = (row.Latency, row.Throughput);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Name} | {F(l.P50Us)} | {F(l.P90Us)} | {F(l.P99Us)} | {F(l.P999Us)} | {F(l.MaxUs)} | {l.AllocatedBytesPerCall:F0} | {t.CallsPerSecond:N0} | {t.SlowestRound:N0}–{t.FastestRound:N0} | " +
                $"{Ratio(l.P50Us, floor?.Latency.P50Us)} | {Ratio(l.P99Us, floor?.Latency.P99Us)} | {Ratio(t.CallsPerSecond, floor?.Throughput.CallsPerSecond)} |");
        }

        md.AppendLine().AppendLine("Rows:").AppendLine();
        foreach (var row in Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- `{row.Name}`: {row.Description}");
        }

        md.AppendLine().AppendLine("Targets of the issue:").AppendLine();
        foreach (var target in Targets)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {target.Target}: measured {target.Measured} → **{(target.Met ? "met" : "NOT met")}**");
        }

        return md.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    });

    private static string F(double micros) => micros.ToString(micros < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static string Ratio(double value, double? floor) =>
        floor is > 0 ? (value / floor.Value).ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
