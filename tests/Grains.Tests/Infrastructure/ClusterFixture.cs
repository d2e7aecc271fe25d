using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using BudgetActors.Grains.Hosting;

using BudgetActors.Grains.Audit;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>
/// Two silos and a client, deployed once for every test class of the collection (deploying is the
/// slow part). Tests keep out of each other's way by using a fresh tenant each, not by resetting state.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(2)
        .AddSiloBuilderConfigurator<SiloWithFakeClock>()
        .Build();

    public IClusterClient Client => Cluster.Client;

    public IAdmissionGrain Admission => Client.GetGrain<IAdmissionGrain>(0);

    /// <summary>A service of each running silo (the test cluster hosts them in this process).</summary>
    public IReadOnlyList<T> OnEachSilo<T>() where T : notnull =>
        [.. Cluster.GetActiveSilos().Select(s => ((InProcessSiloHandle)s).SiloHost.Services.GetRequiredService<T>())];

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>
    /// The one ledger of the cluster: both silos live in this process, and a real deployment's
    /// silos share one database, so budgets can catch up with entries written on the other silo.
    /// </summary>
    public static FaultyLedger Ledger { get; } = new(new InMemorySpendLedger());

    /// <summary>The one audit trail of the cluster, as a real deployment's silos share one table.</summary>
    public static InMemoryAuditLog AuditLog { get; } = new();

    private sealed class SiloWithFakeClock : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            // Registered before the grains so that their TryAdds keep these.
            siloBuilder.Services.AddSingleton<TimeProvider>(TestClock.Time);
            siloBuilder.Services.AddSingleton<ISpendLedger>(Ledger);
            siloBuilder.Services.AddSingleton<IAuditLog>(AuditLog);
            siloBuilder.AddBudgetActorsGrains(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Alerts:ForecastInterval"] = "00:00:01", // budgets that forecast ask every second, not every hour
            }).Build());
            FaultyGrainStorage.Decorate(siloBuilder.Services, StorageNames.Grains);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
