using System.Diagnostics;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.LedgerBench;

public sealed record RowResult(
    string Mode, int Callers, long Appends, double AppendsPerSecond, double P50Ms, double P90Ms, double P99Ms, double MaxMs,
    double EntriesPerTransaction, double MinRoundPerSecond, double MaxRoundPerSecond, double P999Ms);

/// <summary>
/// One mode at one number of callers, measured in rounds. The callers run a closed loop: each
/// appends, waits for its answer (the entry is durable), and appends again.
/// </summary>
/// <param name="application">The application_name of the ledger's connections.</param>
/// <param name="tenant">The tenant of every entry; null to spread them over the workload's tenants.</param>
public sealed class Row(string mode, int callers, PostgresSpendLedger ledger, string application, string? tenant = null)
{
    // Keys of this run are new in a database that earlier runs wrote too (--connection).
    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];
    private readonly List<long> latencies = [];
    private readonly List<double> roundRates = [];
    private long appends;
    private long transactions;
    private long entries;
    private double measuredSeconds;
    private int round;

    public string Mode => mode;

    public int Callers => callers;

    public string Application => application;

    /// <summary>Every append answered, warm-up included (to check against the table afterwards).</summary>
    public long Answered { get; private set; }

    /// <summary>Appends answered inside the measuring windows so far.</summary>
    public long Appends => appends;

    /// <summary>One round: load from now on, measured from <paramref name="measureFrom"/> until <paramref name="stopAt"/> (Stopwatch timestamps).</summary>
    public async Task RunRoundAsync(long measureFrom, long stopAt)
    {
        var name = $"{Run}-{mode}-{callers}-{++round}";
        var window = Stopwatch.GetElapsedTime(measureFrom, stopAt);
        var counters = CountTransactionsAsync(measureFrom, stopAt);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(() => CallAsync(name, c, measureFrom, stopAt))));
        var (roundTransactions, roundEntries) = await counters;

        var inWindow = perCaller.Sum(p => p.Completed);
        appends += inWindow;
        Answered += perCaller.Sum(p => p.Answered);
        measuredSeconds += window.TotalSeconds;
        transactions += roundTransactions;
        entries += roundEntries;
        roundRates.Add(inWindow / window.TotalSeconds);
        foreach (var caller in perCaller)
        {
            latencies.AddRange(caller.Latencies);
        }
    }

    /// <summary>Load that is not measured (connections opened, JIT settled); its appends count only as answered.</summary>
    public async Task WarmUpAsync(TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(() => CallAsync($"{Run}-{mode}-{callers}-warmup", c, stopAt, stopAt))));
        Answered += perCaller.Sum(p => p.Answered);
    }

    public RowResult Summarize()
    {
        latencies.Sort();
        return new RowResult(mode, callers, appends, appends / measuredSeconds,
            Percentile(0.50), Percentile(0.90), Percentile(0.99), Milliseconds(latencies[^1]),
            transactions == 0 ? 0 : (double)entries / transactions, roundRates.Min(), roundRates.Max(), Percentile(0.999));
    }

    private async Task<CallerResult> CallAsync(string name, int caller, long measureFrom, long stopAt)
    {
        var result = new CallerResult();
        for (long n = 0; ; n++)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= stopAt)
            {
                return result;
            }

            var answer = await ledger.AppendAsync(Workload.Entry(name, caller, n, tenant));
            var answered = Stopwatch.GetTimestamp();
            if (answer.Duplicate)
            {
                throw new InvalidOperationException($"Benchmark keys are meant to be new: {answer.Record.Entry.EntryKey}");
            }

            result.Answered++;
            if (started >= measureFrom)
            {
                result.Latencies.Add(answered - started);
            }

            if (answered >= measureFrom && answered < stopAt)
            {
                result.Completed++;
            }
        }
    }

    // Transactions and entries the ledger wrote while the window was open.
    private async Task<(long Transactions, long Entries)> CountTransactionsAsync(long measureFrom, long stopAt)
    {
        await Task.Delay(Until(measureFrom));
        var (transactionsBefore, entriesBefore) = (ledger.BatchesWritten, ledger.EntriesWritten);
        await Task.Delay(Until(stopAt));
        return (ledger.BatchesWritten - transactionsBefore, ledger.EntriesWritten - entriesBefore);
    }

    private static TimeSpan Until(long timestamp)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private double Percentile(double rank) => Milliseconds(latencies[Math.Max(0, (int)Math.Ceiling(rank * latencies.Count) - 1)]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed class CallerResult
    {
        public List<long> Latencies { get; } = [];
        public long Completed { get; set; }
        public long Answered { get; set; }
    }
}
