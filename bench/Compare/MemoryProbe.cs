using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BudgetActors.CheckBench;
using BudgetActors.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetActors.Compare;

/// <summary>What the memory probe found.</summary>
/// <param name="BytesPerBudget">Growth of the managed heap (after full, compacting collections) divided by the budgets activated.</param>
/// <param name="RssBytesPerBudget">Growth of the process's resident memory divided by the budgets: what the OS sees, GC slack included.</param>
/// <param name="Budgets">Budgets activated and measured: fewer than <paramref name="Asked"/> when the deadline came first.</param>
/// <param name="ActivationsCounted">Budget grain activations the silo reports at the end (the warm-up's included): all of them still active.</param>
public sealed record MemoryResult(
    int Asked,
    double DeadlineSeconds,
    int Budgets,
    double Seconds,
    double ActivationsPerSecond,
    long HeapBefore,
    long HeapAfter,
    double BytesPerBudget,
    long RssBefore,
    long RssAfter,
    double RssBytesPerBudget,
    long ActivationsCounted);

/// <summary>
/// Memory per active budget: a silo in this process (CheckBench's <see cref="BenchSilo"/>, as the API
/// host co-hosts one), N budget grains defined and checked once each, and the managed heap measured
/// before and after. Run in a process of its own so that nothing else lives on its heap.
/// <para>
/// Each budget is defined on its grain directly (what the tenant grain does when a budget is put,
/// after storing it in the tenant's directory): a tenant directory of a million budgets is not what
/// is measured here, the budgets' own activations are — their state, their storage record (in
/// memory, the embedded default), their reminder and Orleans' activation.
/// </para>
/// <para>
/// The figure includes what registering each budget's rollover reminder leaves in the silo's
/// reminder service (about 0.35 KB a budget) until the service next reads its table, every 5 minutes
/// and once in the first 30 seconds: how much of it is still there when the heap is measured depends
/// on when that read falls. The in-memory reminder table keeps every reminder for good, by design.
/// </para>
/// </summary>
public static class MemoryProbe
{
    public const string Command = "memory";

    private const int Warmup = 2_000;
    private const int DefaultInFlight = 64;

    // Budgets of 1,000 tenants, alike in shape to the benchmark's: a user's month.
    private const int BudgetsPerTenant = 1_000;

    /// <param name="args"><c>--budgets N --deadline SECONDS --out FILE [--in-flight N] [--linger SECONDS]</c> (linger: wait before leaving, for a heap dump)</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var budgets = int.Parse(Argument(args, "--budgets"), CultureInfo.InvariantCulture);
        var output = Argument(args, "--out");
        var inFlight = args.Contains("--in-flight") ? int.Parse(Argument(args, "--in-flight"), CultureInfo.InvariantCulture) : DefaultInFlight;
        var deadline = TimeSpan.FromSeconds(double.Parse(Argument(args, "--deadline"), CultureInfo.InvariantCulture));

        using var host = await BenchSilo.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        // The first activations pay for JIT, type caches and the storage and reminder grains: not charged to the budgets measured.
        await ActivateAsync(grains, 0, Warmup, inFlight, TimeSpan.MaxValue);
        var (heapBefore, rssBefore) = Measure();
        var started = Stopwatch.GetTimestamp();
        var asked = budgets;
        budgets = await ActivateAsync(grains, Warmup, budgets, inFlight, deadline);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (heapAfter, rssAfter) = Measure();

        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var active = statistics.Where(s => s.GrainType.Contains(nameof(BudgetGrain), StringComparison.Ordinal)).Sum(s => (long)s.ActivationCount);
        var result = new MemoryResult(asked, deadline.TotalSeconds, budgets, seconds, budgets / seconds, heapBefore, heapAfter, (heapAfter - heapBefore) / (double)budgets,
            rssBefore, rssAfter, (rssAfter - rssBefore) / (double)budgets, active);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        Console.WriteLine($"{budgets:N0} of {asked:N0} budgets activated in {seconds:0.0} s; {result.BytesPerBudget:N0} bytes of managed heap each " +
            $"({result.RssBytesPerBudget:N0} of resident memory); {active:N0} budget activations counted");

        if (args.Contains("--linger"))
        {
            // Time to take a heap dump of the activations (dotnet-gcdump collect -p PID) before the process leaves.
            var linger = double.Parse(Argument(args, "--linger"), CultureInfo.InvariantCulture);
            Console.WriteLine($"lingering {linger:0} s: process {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(linger));
        }

        // A silo with a million activations takes minutes to deactivate them all; the measurement is done, so leave at once.
        Environment.Exit(0);
        return 0;
    }

    /// <summary>
    /// Activates budgets <paramref name="from"/> onwards, <paramref name="inFlight"/> at a time, until
    /// <paramref name="count"/> are or the deadline passes (activations are slow on a loaded machine,
    /// and the run has a time budget); returns how many were activated.
    /// </summary>
    private static async Task<int> ActivateAsync(IGrainFactory grains, int from, int count, int inFlight, TimeSpan deadline)
    {
        var next = from - 1;
        var end = from + count;
        var done = 0;
        var stopAt = deadline == TimeSpan.MaxValue ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < end && Stopwatch.GetTimestamp() < stopAt; i = Interlocked.Increment(ref next))
            {
                var tenant = $"mem-{i / BudgetsPerTenant}";
                var definition = Definition($"u{i}-monthly", $"u{i}");
                var budget = grains.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, definition.Id));
                if (await budget.Define(definition, version: 1) is null || await budget.Check(new Amount(0.012m, 1_500, 1), 0, 1) is null)
                {
                    throw new InvalidOperationException($"Budget {tenant}/{definition.Id} did not take its definition.");
                }

                Interlocked.Increment(ref done);
            }
        })));
        return done;
    }

    private static BudgetDefinition Definition(string id, string user) =>
        new(id,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("user", user)]),
            new PeriodSpec(PeriodType.Monthly, "Europe/Paris"),
            new Limits(50m, 10_000_000, null),
            Thresholds.Default,
            EnforcementMode.Hard,
            null);

    private static (long Heap, long Rss) Measure()
    {
        // Twice, with the large object heap compacted: what survives is what the activations hold.
        for (var i = 0; i < 2; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), self.WorkingSet64);
    }

    private static string Argument(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"memory needs {name}");
    }
}
