using BudgetActors.Grains.Hosting;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetActors.Ledger.Tests;

/// <summary>AddSpendLedger picks the ledger of the storage provider, and yields to one registered by a test cluster.</summary>
public sealed class SpendLedgerRegistrationTests
{
    [Fact]
    public async Task Memory_storage_gets_the_in_memory_ledger()
    {
        await using var services = Build(new StorageSettings { Provider = StorageProvider.Memory });

        Assert.IsType<InMemorySpendLedger>(services.GetRequiredService<ISpendLedger>());
    }

    [Fact]
    public async Task Postgres_storage_gets_one_postgres_ledger_with_the_configured_batch_size()
    {
        var storage = new StorageSettings { Provider = StorageProvider.Postgres, ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody" };
        await using var services = Build(storage, new() { ["Ledger:MaxBatchSize"] = "64" });

        var ledger = Assert.IsType<PostgresSpendLedger>(services.GetRequiredService<ISpendLedger>());
        Assert.Same(ledger, services.GetRequiredService<PostgresSpendLedger>());
        Assert.Equal(64, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LedgerOptions>>().Value.MaxBatchSize);
    }

    [Fact]
    public async Task A_ledger_registered_before_is_kept()
    {
        var shared = new InMemorySpendLedger();
        var collection = new ServiceCollection();
        collection.AddSingleton<ISpendLedger>(shared);
        collection.AddSpendLedger(new StorageSettings { Provider = StorageProvider.Memory });
        await using var services = collection.BuildServiceProvider();

        Assert.Same(shared, services.GetRequiredService<ISpendLedger>());
    }

    private static ServiceProvider Build(StorageSettings storage, Dictionary<string, string?>? configuration = null)
    {
        var collection = new ServiceCollection();
        collection.AddSpendLedger(storage, new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build());
        return collection.BuildServiceProvider();
    }
}
