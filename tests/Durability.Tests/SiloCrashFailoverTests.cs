using BudgetActors.Durability.Tests.Infrastructure;
using BudgetActors.TestSupport.Failover;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// kill -9 of one of the two silos under steady HTTP load (usage, reservations and their commits,
/// checks, from 24 callers that send a request again with the same key until it is answered):
/// the callers feel the death for seconds, not for a response timeout, and every acknowledged
/// charge is in the ledger once. The same probe is bench/Compare's failover row.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class SiloCrashFailoverTests(DurableClusterFixture fixture, ITestOutputHelper output)
{
    private const int KilledSilo = 1;

    [Fact]
    public async Task After_kill_9_of_a_silo_under_load_errors_stop_and_every_request_is_answered_within_seconds()
    {
        var cluster = fixture.Cluster;
        var options = new FailoverOptions(Callers: 24, BeforeKill: TimeSpan.FromSeconds(4), AfterKill: TimeSpan.FromSeconds(40), Silo: KilledSilo);
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
        Assert.True(figures.Ledger.Ok, figures.Ledger.ToString());
    }
}
