using BudgetActors.TestSupport.Cluster;
using BudgetActors.TestSupport.Failover;

namespace BudgetActors.Compare;

/// <summary>
/// The "kill -9 of a silo under load" row: the durable deployment as the README runs it — a private
/// PostgreSQL, two silo processes, the API host as their client — under the load of the failover
/// probe (tests/TestSupport/Failover, the same probe that SiloCrashFailoverTests asserts on), with one
/// silo killed with SIGKILL in each round (round r kills silo r mod 2; it is started again between
/// rounds). The figures are when the errors stopped, the slowest request and the 5xx, from the kill;
/// then the ledger is read: every acknowledged charge once.
/// </summary>
public sealed class FailoverRow(CompareOptions options, string runDirectory)
{
    public const string Name = "failover-kill-9";

    public async Task<(Row Row, IReadOnlyList<FailoverFigures> Rounds)> RunAsync()
    {
        HostBinaries.LogDirectory = Path.Combine(runDirectory, "failover");
        var rounds = new List<FailoverFigures>();
        await using var cluster = await DurableCluster.StartAsync(options.FailoverSettings);
        for (var round = 0; round < options.FailoverRounds; round++)
        {
            var probe = new FailoverProbe(cluster, Options(round));
            var figures = await probe.RunAsync(Path.Combine(HostBinaries.LogDirectory, $"requests-{round + 1}.csv"));
            Console.WriteLine($"  round {round + 1}: {figures}");
            rounds.Add(figures);
            if (round + 1 < options.FailoverRounds)
            {
                await cluster.RestartSiloAsync(figures.Options.Silo);
                await cluster.WaitUntilServingAsync();
            }
        }

        return (ToRow(rounds), rounds);
    }

    private FailoverOptions Options(int round) => new(
        Callers: options.FailoverCallers,
        BeforeKill: TimeSpan.FromSeconds(options.Quick ? 4 : 6),
        AfterKill: TimeSpan.FromSeconds(options.Quick ? 15 : 20),
        WarmUp: TimeSpan.FromSeconds(3),
        Silo: round % DurableCluster.SiloCount);

    private static Row ToRow(IReadOnlyList<FailoverFigures> rounds)
    {
        var first = rounds[0];
        var worst = Worst(rounds);
        var requests = rounds.Sum(r => r.Requests);
        var seconds = rounds.Sum(r => r.Window.TotalSeconds);
        var settings = first.Options;
        return new Row(
            Name, RowKind.Path,
            $"kill -9 of one of two silos (PostgreSQL storage, the API host in client mode) under {settings.Callers} HTTP callers sending usage and reservations " +
            $"with new idempotency keys, their commits, and checks, each request sent again with the same key until answered; {rounds.Count} kill(s), one per round. " +
            (worst.LastErrorAnswered is { } last ? $"Last error answered {last.TotalSeconds:0.0} s after the kill" : "No error answered") +
            $", slowest request {worst.Slowest?.Duration.TotalSeconds:0.00} s, " +
            $"longest wait after the kill {worst.SlowestFromKill.TotalSeconds:0.00} s per request, {worst.SlowestAcknowledgement.TotalSeconds:0.00} s per operation with its retries; " +
            $"{rounds.Sum(r => r.ServerErrors)} × 5xx and {rounds.Sum(r => r.NoAnswers)} without an answer in all",
            $"{settings.Callers} HTTP callers, closed loop, retrying with the same key", settings.Callers, "requests",
            requests / seconds,
            Micros(rounds.Max(r => r.P50)), Micros(rounds.Max(r => r.P99)), Micros(rounds.Max(r => r.P999)), Micros(worst.Slowest?.Duration ?? TimeSpan.Zero),
            Row.UnderLoad, requests, seconds,
            [.. rounds.Select(r => r.Requests / r.Window.TotalSeconds)],
            Errors: rounds.Sum(r => r.Errors),
            Check: "Ledger: " + string.Join("; ", rounds.Select(r => r.Ledger.ToString())));
    }

    /// <summary>The worst of the rounds, by when the errors stopped and how long a request waited after the kill.</summary>
    public static FailoverFigures Worst(IReadOnlyList<FailoverFigures> rounds) =>
        rounds.MaxBy(r => (r.LastErrorAnswered ?? TimeSpan.Zero) > r.SlowestFromKill ? r.LastErrorAnswered ?? TimeSpan.Zero : r.SlowestFromKill)!;

    private static double Micros(TimeSpan time) => time.TotalMilliseconds * 1000;
}
