using System.Diagnostics;
using System.Text.Json;
using BudgetActors.TestSupport;

namespace BudgetActors.Compare;

/// <summary>
/// The run: the network rows (servers and wrk), then CheckBench, LedgerBench and the memory probe
/// one after another, so that no two measurements share the cores; then the document. A part that
/// fails is reported in the document and the others still run.
/// </summary>
public static class Harness
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (CompareOptions.Parse(args) is not { } options)
        {
            return 2;
        }

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var repository = PrivatePostgres.RepositoryRoot;
        var runDirectory = Directory.CreateDirectory(Path.Combine(repository, "bench", "results", $"compare-{startedAt:yyyyMMdd-HHmmss}")).FullName;
        var outputDirectory = Path.Combine(repository, options.OutputDirectory ?? (options.Partial ? Path.GetRelativePath(repository, runDirectory) : "docs"));
        var binaries = BenchBinaries.Load();
        var machine = MachineInfo.Describe();
        Console.WriteLine($"bench/Compare{(options.Quick ? " --quick" : "")} — {machine.LogicalCores} cores, {machine.Os}, {machine.Runtime}, load {machine.LoadAverageAtStart}");
        Console.WriteLine($"  logs and raw results: {Path.GetRelativePath(repository, runDirectory)}");
        var tools = await ToolsAsync(options);

        var rows = new List<Row>();
        var failures = new List<string>();
        var wrkRaw = new List<object>();
        JsonElement? checkBench = null, ledgerBench = null;
        MemoryResult? memory = null;
        IReadOnlyList<BudgetActors.TestSupport.Failover.FailoverFigures>? failover = null;
        var children = new ChildBenchmarks(options, runDirectory, binaries);

        async Task Part(string name, string title, Func<Task> run)
        {
            if (!options.Runs(name))
            {
                return;
            }

            Console.WriteLine($"{title} ({clock.Elapsed.TotalSeconds:0} s into the run)");
            try
            {
                await run();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"  {name} FAILED: {e}");
                failures.Add($"{name}: {e.Message}");
            }
        }

        await Part(CompareOptions.Network, "Network rows: the API host, the bare endpoint, PostgreSQL, Redis, the Orleans client", async () =>
        {
            var network = new NetworkRun(options, runDirectory, binaries);
            try
            {
                rows.AddRange(await network.RunAsync());
            }
            finally
            {
                wrkRaw.AddRange(network.Raw);
            }
        });
        await Part(CompareOptions.CheckBench, "CheckBench: the in-process rows and their floor, a bare grain call", async () =>
        {
            var (checkRows, raw) = await children.CheckBenchAsync();
            rows.AddRange(checkRows);
            checkBench = raw;
        });
        await Part(CompareOptions.LedgerBench, "LedgerBench: group commit with 256 callers, and two writers on different tenants", async () =>
        {
            var (ledgerRows, raw) = await children.LedgerBenchAsync();
            rows.AddRange(ledgerRows);
            ledgerBench = raw;
        });
        await Part(CompareOptions.Failover, $"Failover: kill -9 of a silo under load, {options.FailoverRounds} round(s)", async () =>
        {
            var (row, rounds) = await new FailoverRow(options, runDirectory).RunAsync();
            rows.Add(row);
            failover = rounds;
        });
        await Part(CompareOptions.Memory, $"Memory per active budget: {options.MemoryBudgets:N0} budgets", async () => memory = await children.MemoryAsync());

        var command = "bench/compare.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
        var report = new CompareReport(startedAt, clock.Elapsed.TotalSeconds, command, options, machine, MachineInfo.LoadAverage(), tools, rows, memory,
            Targets.Evaluate(rows, memory, failover), failures, checkBench, ledgerBench, wrkRaw, failover);

        Directory.CreateDirectory(outputDirectory);
        var document = Path.Combine(outputDirectory, "BENCHMARKS.md");
        await File.WriteAllTextAsync(document, report.ToMarkdown(KeptNotes(document)));
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "benchmarks.json"), report.ToJson());

        Console.WriteLine();
        foreach (var target in report.Targets)
        {
            Console.WriteLine($"{(target.Met switch { true => "met   ", false => "MISSED", null => "–     " })} {target.Path}: {target.Target} — {target.Measured}" +
                (target.Met == false ? $" ({target.Verdict})" : ""));
        }

        Console.WriteLine($"\nwritten: {Path.GetRelativePath(repository, document)} and benchmarks.json beside it, in {clock.Elapsed.TotalMinutes:0.0} minutes");
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"FAILED: {failure.Split('\n')[0]}");
        }

        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The Notes of an existing document, from their heading on: written by people, kept across runs.</summary>
    private static string? KeptNotes(string document)
    {
        if (!File.Exists(document))
        {
            return null;
        }

        var text = File.ReadAllText(document);
        var at = text.IndexOf("\n" + CompareReport.NotesHeading, StringComparison.Ordinal);
        return at < 0 ? null : text[(at + 1)..];
    }

    /// <summary>The versions of the outside programs the run uses; wrk and redis-server must be there (bench/compare.sh installs them).</summary>
    private static async Task<Dictionary<string, string>> ToolsAsync(CompareOptions options)
    {
        var tools = new Dictionary<string, string>();
        if (options.Runs(CompareOptions.Network))
        {
            // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) …", "Redis server v=7.0.15 sha=… malloc=…": the versions only.
            tools["wrk"] = Before(await FirstLineAsync("wrk", ["-v"], required: true), " Copyright");
            tools["redis-server"] = Before(await FirstLineAsync("redis-server", ["--version"], required: true), " sha=");
        }

        tools["postgresql"] = await FirstLineAsync("pg_config", ["--version"], required: false);
        return tools;
    }

    private static string Before(string text, string marker) => text.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at ? text[..at] : text;

    private static async Task<string> FirstLineAsync(string program, string[] arguments, bool required)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception) when (!required)
        {
            return "not found";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{program} is not installed: run bench/compare.sh, which installs wrk and redis-server (apt-get), or install them.");
        }
    }
}
