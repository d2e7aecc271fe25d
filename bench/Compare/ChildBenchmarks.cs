using System.Globalization;
using System.Text.Json;

namespace BudgetActors.Compare;

/// <summary>
/// The benchmarks that exist on their own, run as they are (their own process, their own options)
/// and read back from the JSON they write: CheckBench for the in-process rows, LedgerBench for the
/// ledger, and this program's memory probe.
/// </summary>
public sealed class ChildBenchmarks(CompareOptions options, string runDirectory, BenchBinaries binaries)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// CheckBench, as `dotnet run --project bench/CheckBench [-- --quick]` would run it: the bare grain
    /// call (its floor), the in-process checks and the reserve + commit pairs. Its latencies are of one
    /// call at a time; its throughput is of 64 callers.
    /// </summary>
    public async Task<(List<Row> Rows, JsonElement Raw)> CheckBenchAsync()
    {
        var output = Directory.CreateDirectory(Path.Combine(runDirectory, "checkbench")).FullName;
        // The quick run leaves out the one row that no target or ratio of the report uses.
        string[] rows = options.Quick ? ["--rows", string.Join(',', Rows.GrainCall, Rows.Check1, Rows.Check3, Rows.GrainCheck1, Rows.ReserveCommit)] : [];
        var raw = await RunAsync("checkbench", binaries.CheckBench, [.. Quick(), .. rows, "--out", output, "--note", "run by bench/Compare"], output, "checkbench-*.json");
        var results = new List<Row>();
        foreach (var row in raw.GetProperty("rows").EnumerateArray())
        {
            var name = row.GetProperty("name").GetString()!;
            var latency = row.GetProperty("latency");
            var throughput = row.GetProperty("throughput");
            var callers = throughput.GetProperty("concurrency").GetInt32();
            results.Add(new Row(
                name, name == Rows.GrainCall ? RowKind.Baseline : RowKind.Path,
                row.GetProperty("description").GetString()!,
                $"CheckBench: {callers} callers in process (latency: one call at a time)", callers,
                name == Rows.ReserveCommit ? "pairs" : name == Rows.GrainCall ? "calls" : "checks",
                throughput.GetProperty("callsPerSecond").GetDouble(),
                latency.GetProperty("p50Us").GetDouble(), latency.GetProperty("p99Us").GetDouble(), latency.GetProperty("p999Us").GetDouble(),
                latency.GetProperty("maxUs").GetDouble(), Row.OneAtATime,
                throughput.GetProperty("calls").GetInt64(), throughput.GetProperty("seconds").GetDouble(),
                [throughput.GetProperty("slowestRound").GetDouble(), throughput.GetProperty("fastestRound").GetDouble()]));
        }

        return (results, raw);
    }

    /// <summary>
    /// LedgerBench with 256 callers: group commit (the target), one row per commit (its baseline),
    /// and one writer against two writers of different tenants at once.
    /// </summary>
    public async Task<(List<Row> Rows, JsonElement Raw)> LedgerBenchAsync()
    {
        var output = Directory.CreateDirectory(Path.Combine(runDirectory, "ledgerbench")).FullName;
        var raw = await RunAsync("ledgerbench", binaries.LedgerBench,
            [.. Quick(), "--concurrency", Rows.LedgerCallers, "--two-writers", "--out", output, "--note", "run by bench/Compare"], output, "ledgerbench-*.json");
        var rows = new List<Row>();
        foreach (var row in raw.GetProperty("rows").EnumerateArray())
        {
            var mode = row.GetProperty("mode").GetString()!;
            var callers = row.GetProperty("callers").GetInt32();
            var name = $"ledger-{mode}-{callers}";
            var what = mode switch
            {
                "group-commit" => "PostgresSpendLedger as a silo has it: appends queue, one writer loop writes each batch in one transaction and answers once it is durable",
                "one-row-per-commit" => "every append its own transaction on its own pooled connection: same SQL, same writer lock",
                "one-writer" => "one group-commit ledger, every entry on one tenant",
                "two-writers-a" => "writer a of two group-commit ledgers (as two silos have) writing at the same time, on another tenant each",
                "two-writers-b" => "writer b of the two",
                _ => mode,
            };
            rows.Add(new Row(name, mode == "one-row-per-commit" ? RowKind.Baseline : RowKind.Path, what,
                $"LedgerBench: {callers} callers" + (mode.StartsWith("two-writers", StringComparison.Ordinal) ? " per writer" : ""), callers, "appends",
                row.GetProperty("appendsPerSecond").GetDouble(),
                row.GetProperty("p50Ms").GetDouble() * 1000, row.GetProperty("p99Ms").GetDouble() * 1000, row.GetProperty("p999Ms").GetDouble() * 1000,
                row.GetProperty("maxMs").GetDouble() * 1000, Row.UnderLoad,
                row.GetProperty("appends").GetInt64(), row.GetProperty("appends").GetInt64() / row.GetProperty("appendsPerSecond").GetDouble(),
                [row.GetProperty("minRoundPerSecond").GetDouble(), row.GetProperty("maxRoundPerSecond").GetDouble()],
                Check: $"{row.GetProperty("entriesPerTransaction").GetDouble():0.0} entries per transaction"));
        }

        return (rows, raw);
    }

    /// <summary>The memory probe, in a process of its own (this program, <c>memory</c>).</summary>
    public async Task<MemoryResult> MemoryAsync()
    {
        var output = Path.Combine(runDirectory, "memory.json");
        var self = typeof(MemoryProbe).Assembly.Location;
        await using var probe = ChildProcess.Start("memory", runDirectory, ChildProcess.Dotnet(),
            [self, MemoryProbe.Command, "--budgets", options.MemoryBudgets.ToString(CultureInfo.InvariantCulture),
             "--deadline", options.MemoryDeadlineSeconds.ToString(CultureInfo.InvariantCulture), "--out", output], echo: true);
        await Finish(probe, "the memory probe", TimeSpan.FromSeconds(options.MemoryDeadlineSeconds + 300));
        return JsonSerializer.Deserialize<MemoryResult>(await File.ReadAllTextAsync(output), Web)!;
    }

    private string[] Quick() => options.Quick ? ["--quick"] : [];

    private async Task<JsonElement> RunAsync(string name, string dll, string[] arguments, string output, string pattern)
    {
        await using var child = ChildProcess.Start(name, runDirectory, ChildProcess.Dotnet(), [dll, .. arguments],
            workingDirectory: Path.GetDirectoryName(dll), echo: true);
        await Finish(child, name, TimeSpan.FromMinutes(10));
        var file = Directory.GetFiles(output, pattern).Order().LastOrDefault()
            ?? throw new InvalidOperationException($"{name} wrote no {pattern} in {output}.");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        return document.RootElement.Clone();
    }

    private static async Task Finish(ChildProcess child, string name, TimeSpan deadline)
    {
        if (!await child.WaitForExitAsync(deadline))
        {
            throw new InvalidOperationException($"{name} was still running after {deadline.TotalMinutes:0} minutes and was stopped.{Environment.NewLine}{child.Tail}");
        }

        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} exited with {child.ExitCode}.{Environment.NewLine}{child.Tail}");
        }
    }
}
