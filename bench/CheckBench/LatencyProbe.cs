using System.Diagnostics;

namespace BudgetActors.CheckBench;

public sealed record LatencyResult(
    int Samples,
    double P50Us,
    double P90Us,
    double P99Us,
    double P999Us,
    double MeanUs,
    double MaxUs,
    double AllocatedBytesPerCall);

/// <summary>
/// Latency of one call at a time: a sequential loop, so each sample is a full round trip with nothing
/// queued ahead of it. Samples accumulate over several rounds and are summarized together.
/// </summary>
public sealed class LatencyProbe
{
    private readonly List<long[]> _rounds = [];
    private long _allocatedBytes;

    public async Task RunRoundAsync(Func<Task> call, int warmupCalls, int samples)
    {
        for (var i = 0; i < warmupCalls; i++)
        {
            await call();
        }

        var ticks = new long[samples];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        _allocatedBytes += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        _rounds.Add(ticks);
    }

    public LatencyResult Summarize()
    {
        var ticks = _rounds.SelectMany(r => r).ToArray();
        Array.Sort(ticks);
        return new LatencyResult(
            ticks.Length,
            Micros(Percentile(ticks, 0.50)),
            Micros(Percentile(ticks, 0.90)),
            Micros(Percentile(ticks, 0.99)),
            Micros(Percentile(ticks, 0.999)),
            Micros(ticks.Average()),
            Micros(ticks[^1]),
            // Process-wide, so it includes the runtime's own background allocations: a ceiling, not an exact figure.
            _allocatedBytes / (double)ticks.Length);
    }

    /// <summary>Nearest rank: the smallest sample that at least <paramref name="p"/> of all samples do not exceed.</summary>
    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Micros(double ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
