using BudgetActors.Durability.Tests.Infrastructure;
using BudgetActors.TestSupport.Failover;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// kill -9 of one of the two silos under steady HTTP load — usage and reservations with new
/// idempotency keys, their commits, and checks, from 24 callers that send a request again with the
/// same key until it is answered, as a real client does — costs the callers seconds, not a response
/// timeout (30 s before: every request under way at the kill waited for Orleans' response timeout,
/// and reservations under way were refused). The same probe is bench/Compare's failover row.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class SiloCrashFailoverTests(DurableClusterFixture fixture, ITestOutputHelper output)
{
    private const int KilledSilo = 1;

    /// <summary>
    /// Issue 8's target, asserted as it is. Measured here: about 3 s (the cluster declares the silo
    /// dead after three refused probes about a second apart, and the requests under way are sent
    /// again on the survivor), 2.8–3.8 s in every run at load averages of 4–22 from other work. The bound
    /// leaves room for Orleans to stretch its probe timeouts on a degraded silo (ExtendProbeTimeoutDuringDegradation)
    /// to two or three times that, and still fails on what was there before: a request under way at
    /// the kill waiting out the 30-s response timeout.
    /// </summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task After_kill_9_of_a_silo_under_load_every_request_is_answered_within_seconds_and_every_charge_is_in_the_ledger_once()
    {
        var cluster = fixture.Cluster;
        var options = new FailoverOptions(Callers: 24, BeforeKill: TimeSpan.FromSeconds(4), AfterKill: TimeSpan.FromSeconds(15), WarmUp: TimeSpan.FromSeconds(3), Silo: KilledSilo);
        FailoverFigures figures;
        try
        {
            figures = await new FailoverProbe(cluster, options).RunAsync(Path.Combine(HostBinaries.LogDirectory, "failover-requests.csv"));
        }
        finally
        {
            // Whatever happened, the next test gets two silos.
            await cluster.RestartSiloAsync(KilledSilo);
            await cluster.WaitUntilServingAsync();
        }

        output.WriteLine(figures.ToString());
        await File.WriteAllTextAsync(Path.Combine(HostBinaries.LogDirectory, "failover-figures.txt"), figures.ToString());
        var said = $"{figures}{Environment.NewLine}(every request: {HostBinaries.LogDirectory}/failover-requests.csv){Environment.NewLine}{cluster.Diagnostics()}";

        Assert.True(figures.Ledger.Ok, $"The ledger does not hold exactly what was acknowledged: {said}");
        Assert.True(figures.NotAcknowledged == 0, $"{figures.NotAcknowledged} operations were not answered as they should be (e.g. a reservation refused though every budget had room): {said}");
        Assert.True(figures.SlowestFromKill <= Bound, $"A request kept its caller waiting {figures.SlowestFromKill.TotalSeconds:0.00} s after the kill, more than {Bound.TotalSeconds:0} s: {said}");
        Assert.True((figures.LastErrorAnswered ?? TimeSpan.Zero) <= Bound, $"Errors went on until {figures.LastErrorAnswered?.TotalSeconds:0.0} s after the kill: {said}");
        Assert.True(figures.PerSecondAfter > 0, $"The surviving silo answered nothing from 10 s after the kill: {said}");
    }
}
