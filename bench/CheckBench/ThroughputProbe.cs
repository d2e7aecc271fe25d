using System.Diagnostics;

namespace BudgetActors.CheckBench;

/// <param name="SlowestRound">Calls per second of the worst round, next to the overall figure: how much the machine's noise moved it.</param>
public sealed record ThroughputResult(
    int Concurrency,
    double Seconds,
    long Calls,
    double CallsPerSecond,
    double SlowestRound,
    double FastestRound,
    int Gen0Collections,
    int Gen2Collections);

/// <summary>
/// Throughput under load: a closed loop of concurrent callers, each with one call outstanding, for a
/// fixed time. Calls are counted only inside the measured window, after a warm-up under the same load.
/// Rounds accumulate and are summarized together.
/// </summary>
public sealed class ThroughputProbe(int concurrency)
{
    private readonly List<(long Calls, double Seconds)> _rounds = [];
    private int _gen0;
    private int _gen2;

    public async Task RunRoundAsync(Func<Task> call, TimeSpan warmup, TimeSpan duration)
    {
        var counts = new long[concurrency];
        var stop = false;
        var callers = Enumerable.Range(0, concurrency).Select(slot => Task.Run(async () =>
        {
            while (!Volatile.Read(ref stop))
            {
                await call();
                counts[slot]++;
            }
        })).ToArray();

        await Task.Delay(warmup);
        var (startCalls, startTime) = (Sum(counts), Stopwatch.GetTimestamp());
        var (gen0, gen2) = (GC.CollectionCount(0), GC.CollectionCount(2));
        await Task.Delay(duration);
        var (endCalls, endTime) = (Sum(counts), Stopwatch.GetTimestamp());
        _gen0 += GC.CollectionCount(0) - gen0;
        _gen2 += GC.CollectionCount(2) - gen2;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(callers);
        _rounds.Add((endCalls - startCalls, Stopwatch.GetElapsedTime(startTime, endTime).TotalSeconds));
    }

    public ThroughputResult Summarize()
    {
        var calls = _rounds.Sum(r => r.Calls);
        var seconds = _rounds.Sum(r => r.Seconds);
        var perRound = _rounds.Select(r => r.Calls / r.Seconds).ToArray();
        return new ThroughputResult(concurrency, seconds, calls, calls / seconds, perRound.Min(), perRound.Max(), _gen0, _gen2);
    }

    // Each caller writes only its own slot; a reader may see a count one call old, which is noise next to millions.
    private static long Sum(long[] counts)
    {
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += Volatile.Read(ref counts[i]);
        }

        return total;
    }
}
