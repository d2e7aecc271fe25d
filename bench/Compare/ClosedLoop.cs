using System.Diagnostics;

namespace BudgetActors.Compare;

/// <summary>Throughput and latency under load of one closed-loop row, over all its rounds (latencies in µs).</summary>
public sealed record LoopResult(long Operations, double Seconds, double P50Us, double P90Us, double P99Us, double P999Us, double MaxUs, IReadOnlyList<double> RoundRates)
{
    public double PerSecond => Seconds > 0 ? Operations / Seconds : 0;
}

/// <summary>
/// The driver of the rows this program calls itself (PostgreSQL, Redis, the Orleans client), measured
/// the way wrk measures the HTTP rows: a fixed number of callers, each with one call outstanding,
/// for a fixed time; a call counts when it ends inside the window, and its latency is kept when it
/// started inside it. Every latency is kept, so percentiles over several rounds are exact.
/// </summary>
public sealed class ClosedLoop(int callers)
{
    private readonly List<long> _latencies = [];
    private readonly List<(long Operations, double Seconds)> _rounds = [];

    public int Callers => callers;

    /// <param name="call">Gets the caller's index (0 to callers − 1), for keys of its own.</param>
    public async Task<(long Operations, double Seconds)> RunRoundAsync(Func<int, Task> call, TimeSpan warmup, TimeSpan window)
    {
        var from = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var until = from + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(() => Caller(call, c, from, until))));
        var operations = results.Sum(r => r.Completed);
        lock (_latencies)
        {
            foreach (var r in results)
            {
                _latencies.AddRange(r.Latencies);
            }

            _rounds.Add((operations, window.TotalSeconds));
        }

        return (operations, window.TotalSeconds);
    }

    public LoopResult Summarize()
    {
        var sorted = _latencies.ToArray();
        Array.Sort(sorted);
        return new LoopResult(_rounds.Sum(r => r.Operations), _rounds.Sum(r => r.Seconds),
            Micros(Percentile(sorted, 0.50)), Micros(Percentile(sorted, 0.90)), Micros(Percentile(sorted, 0.99)), Micros(Percentile(sorted, 0.999)),
            Micros(sorted.Length == 0 ? 0 : sorted[^1]), [.. _rounds.Select(r => r.Operations / r.Seconds)]);
    }

    private static async Task<(long Completed, List<long> Latencies)> Caller(Func<int, Task> call, int caller, long from, long until)
    {
        var latencies = new List<long>(1 << 14);
        long completed = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= until)
            {
                return (completed, latencies);
            }

            await call(caller);
            var ended = Stopwatch.GetTimestamp();
            if (started >= from)
            {
                latencies.Add(ended - started);
            }

            if (ended >= from && ended < until)
            {
                completed++;
            }
        }
    }

    // Nearest rank: the smallest sample that at least p of all samples do not exceed.
    private static long Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
