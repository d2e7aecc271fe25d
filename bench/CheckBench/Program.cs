using BudgetActors;
using BudgetActors.CheckBench;
using BudgetActors.Grains.Admission;
using Microsoft.Extensions.DependencyInjection;

// Latency and throughput of budget checks against a silo co-hosted in this process, next to the
// floor of a bare grain call. See bench/README.md.
if (BenchOptions.Parse(args) is not { } options)
{
    return 2;
}

// The instruments record only while a meter provider listens, as in the API host; without one they cost a flag test.
using var meters = options.Metrics ? MetricsListener.Start() : null;
var startedAt = DateTimeOffset.UtcNow;
Console.WriteLine($"CheckBench — {BenchReport.DescribeMachine()}{(options.Metrics ? " — metrics collected" : "")}");
using var host = await BenchSilo.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var admission = host.Services.GetRequiredService<BudgetAdmission>(); // the HTTP host's in-process check path
await BenchTenants.SeedAsync(grains);

var echo = grains.GetGrain<IEchoGrain>(0);
var admissionGrain = grains.GetGrain<IAdmissionGrain>(0);
var check = BenchTenants.Check;
var pairs = new ReserveCommitPairs(admission);
Scenario[] scenarios =
[
    new(BenchReport.FloorRow, "a bare call of a reentrant grain that returns its argument: what any grain call costs here",
        () => echo.Echo(1),
        async () => Expect(await echo.Echo(42) == 42, "echo answers its argument")),
    new("check-1", "BudgetAdmission.Check (the HTTP host's path, minus HTTP) where one budget applies",
        () => admission.Check(BenchTenants.OneBudget, check),
        async () => ExpectAllowed(await admission.Check(BenchTenants.OneBudget, check), 1)),
    new("check-3", "BudgetAdmission.Check where three nested budgets apply (tenant ⊃ user ⊃ user+model): three budget grains in parallel",
        () => admission.Check(BenchTenants.ThreeBudgets, check),
        async () => ExpectAllowed(await admission.Check(BenchTenants.ThreeBudgets, check), 3)),
    new("grain-check-1", "IAdmissionGrain.Check (the job worker's path: one more hop, to the stateless worker) where one budget applies",
        () => admissionGrain.Check(BenchTenants.OneBudget, check),
        async () => ExpectAllowed(await admissionGrain.Check(BenchTenants.OneBudget, check), 1)),
    new("grain-check-3", "IAdmissionGrain.Check where three nested budgets apply",
        () => admissionGrain.Check(BenchTenants.ThreeBudgets, check),
        async () => ExpectAllowed(await admissionGrain.Check(BenchTenants.ThreeBudgets, check), 3)),
    new(ReserveCommitPairs.Row, "BudgetAdmission.Reserve then Commit of that reservation, a new idempotency key per pair, where one budget applies: " +
        "a reservation grain, its hold and commit ledger entries (in memory here) and the charge replacing the hold; one sample is the whole pair",
        () => pairs.RunAsync(),
        async () => Expect(await pairs.RunAsync() is { Charged.Cost: > 0 }, "a commit that charges the actual amount")),
];

if (options.Rows is { } only)
{
    var unknown = only.Except(scenarios.Select(s => s.Name)).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"unknown rows: {string.Join(", ", unknown)}; rows are {string.Join(", ", scenarios.Select(s => s.Name))}");
        return 2;
    }

    scenarios = [.. scenarios.Where(s => only.Contains(s.Name))];
}

Console.WriteLine($"  warming up every row under load ({options.JitWarmup.TotalSeconds:0.#} s each)");
foreach (var scenario in scenarios)
{
    await scenario.Verify();
    await new ThroughputProbe(options.Concurrency).RunRoundAsync(scenario.Call, TimeSpan.Zero, options.JitWarmup);
}

var latency = scenarios.ToDictionary(s => s.Name, _ => new LatencyProbe());
var throughput = scenarios.ToDictionary(s => s.Name, _ => new ThroughputProbe(options.Concurrency));
for (var round = 1; round <= options.Rounds; round++)
{
    Console.WriteLine($"  round {round}/{options.Rounds}");
    foreach (var scenario in scenarios)
    {
        await latency[scenario.Name].RunRoundAsync(scenario.Call, options.WarmupCalls, options.SamplesPerRound);
        await throughput[scenario.Name].RunRoundAsync(scenario.Call, options.ThroughputWarmup, options.ThroughputPerRound);
    }
}

var rows = scenarios
    .Select(s => new RowResult(s.Name, s.Description, latency[s.Name].Summarize(), throughput[s.Name].Summarize()))
    .ToList();
var report = new BenchReport(startedAt, BenchReport.DescribeMachine(), options, rows, BenchReport.Evaluate(rows));
Console.WriteLine();
Console.Write(report.ToTable());
Console.WriteLine();
foreach (var target in report.Targets)
{
    Console.WriteLine($"target {target.Target}: {target.Measured} → {(target.Met ? "met" : "NOT met")}");
}

var directory = ResultsDirectory(options.OutputDirectory);
System.IO.Directory.CreateDirectory(directory);
var stem = Path.Combine(directory, $"checkbench-{startedAt:yyyyMMdd-HHmmss}");
await File.WriteAllTextAsync(stem + ".json", report.ToJson());
await File.WriteAllTextAsync(stem + ".md", report.ToMarkdown(options.Note));
Console.WriteLine($"\nwritten: {stem}.json, {stem}.md");

await host.StopAsync();
return 0;

static void Expect(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException($"Benchmark setup is wrong: expected {what}.");
    }
}

static void ExpectAllowed(CheckResult result, int budgets)
{
    Expect(result.Decision == Decision.Allow, $"an allow decision, got {result.Decision}");
    Expect(result.Budgets.Length == budgets, $"{budgets} applicable budget(s), got {result.Budgets.Length}");
}

// A relative directory is taken from the repository root (found from the build output), so results
// land in bench/results wherever the command is run from.
static string ResultsDirectory(string configured)
{
    if (Path.IsPathRooted(configured))
    {
        return configured;
    }

    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "BudgetActors.sln")))
        {
            return Path.Combine(dir.FullName, configured);
        }
    }

    return Path.GetFullPath(configured);
}
