using System.Net;
using BudgetActors.Domain;
using BudgetActors.Grains.Admission;
using BudgetActors.Alerts;
using BudgetActors.Grains.Alerts;
using BudgetActors.Grains.Audit;
using BudgetActors.Grains.Directory;
using BudgetActors.Pricing;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Reports;
using BudgetActors.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Dashboard;

namespace BudgetActors.Grains.Hosting;

/// <summary>How a process becomes part of a BudgetActors cluster: as a silo, or as a client.</summary>
public static class BudgetActorsHosting
{
    /// <summary>Configures a silo that hosts the BudgetActors grains: clustering, storage, dashboard.</summary>
    public static ISiloBuilder AddBudgetActorsSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new();
        var storage = StorageSettings.From(configuration);
        if (storage.Provider == StorageProvider.Postgres)
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            silo.ConfigureEndpoints(IPAddress.Loopback, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (StorageSettings.NpgsqlInvariant, storage.ConnectionString));
        }
        else
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort), cluster.ServiceId, cluster.ClusterId);
        }

        if (configuration.GetValue("Dashboard:Enabled", true))
        {
            silo.AddDashboard();
        }

        FailureDetection.ConfigureSilo(silo.Services, configuration);
        return silo.AddBudgetActorsGrains(configuration);
    }

    /// <summary>Storage, reminders and services of the grains, without clustering (test clusters bring their own).</summary>
    public static ISiloBuilder AddBudgetActorsGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = StorageSettings.From(configuration);
        switch (storage.Provider)
        {
            case StorageProvider.Memory:
                silo.AddMemoryGrainStorage(StorageNames.Grains);
                silo.UseInMemoryReminderService();
                silo.Services.AddOptions<MemoryGrainStorageOptions>(StorageNames.Grains).Configure<Serializer>(UseBinaryState);
                break;
            case StorageProvider.Postgres:
                silo.AddAdoNetGrainStorage(StorageNames.Grains, o => (o.Invariant, o.ConnectionString) = (StorageSettings.NpgsqlInvariant, storage.ConnectionString));
                silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (StorageSettings.NpgsqlInvariant, storage.ConnectionString));
                silo.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Grains).Configure<Serializer>(UseBinaryState);
                break;
        }

        // Orleans caches the address of every activation it registers, local ones included, up to a
        // million by default: at a million budgets on a silo that is ~150 bytes each of addresses the
        // silo finds in its own catalog anyway. Capped, the cache keeps the most recently used.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);

        silo.Services.AddSpendLedger(storage, configuration);
        silo.Services.AddAuditLog(storage);
        silo.Services.AddSpendReports(storage, configuration);
        silo.Services.AddBudgetAlerts(configuration, storage);
        silo.Services.AddBudgetActorsAdmission();
        silo.Services.SerializeStorageExceptions();
        silo.Services.AddMetricsOptions(configuration).AddSingleton<ILifecycleParticipant<ISiloLifecycle>, BudgetGauges>(); // the budget gauges of this silo
        return silo;
    }

    /// <summary>Alert delivery on this silo: the outbox of the storage provider and its worker, asking the alerts grains about channels and telling them outcomes.</summary>
    private static IServiceCollection AddBudgetAlerts(this IServiceCollection services, IConfiguration configuration, StorageSettings storage)
    {
        services.TryAddSingleton<IChannelResolver, GrainChannelResolver>();
        services.TryAddSingleton<IDeliveryOutcomeSink, GrainOutcomeSink>();
        return services.AddAlertDelivery(configuration,
            storage.Provider == StorageProvider.Postgres ? AlertStorage.Postgres : AlertStorage.Memory, storage.ConnectionString);
    }

    /// <summary>Grain addresses a silo's directory cache keeps (Orleans' default is 1,000,000).</summary>
    public const int DirectoryCacheSize = 100_000;

    /// <summary>Configures a client of a BudgetActors cluster.</summary>
    public static IClientBuilder AddBudgetActorsClient(this IClientBuilder client, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new();
        var storage = StorageSettings.From(configuration);
        if (storage.Provider == StorageProvider.Postgres)
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (StorageSettings.NpgsqlInvariant, storage.ConnectionString));
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }

        if (configuration.GetValue("Dashboard:Enabled", true))
        {
            client.AddDashboard();
        }

        FailureDetection.ConfigureClient(client.Services, configuration);
        client.Services.AddBudgetActorsAdmission();
        client.Services.SerializeStorageExceptions();
        return client;
    }

    // A grain that fails because PostgreSQL is down throws an exception holding Npgsql's own
    // (LedgerUnavailableException's inner exception, grain storage errors). Orleans serializes only
    // exceptions of the namespaces it is told about, so without this a silo cannot send such a
    // failure to another silo or to a client: the caller gets CodecNotFoundException instead, and
    // the API host answers 500 where an outage must answer 503.
    private static void SerializeStorageExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));

    // Grain state is stored in Orleans' own versioned binary format (the [Id]s of the records), not
    // JSON: exact decimals, immutable collections and renamed members all round-trip.
    private static void UseBinaryState(IStorageProviderSerializerOptions options, Serializer serializer) =>
        options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);

    /// <summary>The admission services every process needs, silo or client.</summary>
    public static IServiceCollection AddBudgetActorsAdmission(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            // The catalog shipped in the assembly, or a newer one named by Pricing:CatalogPath.
            var path = sp.GetService<IConfiguration>()?["Pricing:CatalogPath"];
            var catalog = string.IsNullOrEmpty(path) ? PriceCatalog.LoadDefault() : PriceCatalog.Load(path);

            // Tenants' money is converted from catalog prices by their USD exchange rate (ExchangeRate):
            // a catalog in any other currency would be read as USD and charge every tenant wrongly.
            if (catalog.Currency != ExchangeRate.CatalogCurrency)
            {
                throw new InvalidOperationException(
                    $"Pricing:CatalogPath names a catalog in {catalog.Currency} ({path}); catalog prices must be in {ExchangeRate.CatalogCurrency}: " +
                    "tenants in other currencies convert them with their exchange rate (PUT /v1/tenants/{t}/exchange-rate).");
            }

            return new LlmPricing(catalog);
        });
        services.TryAddSingleton<CatalogAmountPricer>();
        services.TryAddSingleton<IAmountPricer>(sp => sp.GetRequiredService<CatalogAmountPricer>());
        services.TryAddSingleton<TenantDirectoryCache>();
        services.TryAddSingleton<BudgetBoard>();
        services.TryAddSingleton<BudgetAdmission>();
        return services;
    }
}
