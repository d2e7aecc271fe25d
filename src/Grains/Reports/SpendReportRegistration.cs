using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BudgetActors.Grains.Reports;

public static class SpendReportRegistration
{
    /// <summary>
    /// The daily aggregates for the storage provider (PostgreSQL or memory) and their projector, run
    /// in the background on this silo. A store registered earlier is kept, so a test cluster's silos
    /// can share one <see cref="InMemorySpendAggregates"/> as they share a ledger.
    /// </summary>
    public static IServiceCollection AddSpendReports(this IServiceCollection services, StorageSettings storage, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<ProjectorOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(ProjectorOptions.Section));
        }

        if (storage.Provider == StorageProvider.Postgres)
        {
            var connectionString = storage.ConnectionString!;
            services.TryAddSingleton<ISpendAggregateStore>(_ => new PostgresSpendAggregates(connectionString));
        }
        else
        {
            services.TryAddSingleton<ISpendAggregateStore, InMemorySpendAggregates>();
        }

        services.TryAddSingleton<IModelAlternatives, CatalogModelAlternatives>();
        services.TryAddSingleton<SpendProjector>();
        services.AddHostedService(provider => provider.GetRequiredService<SpendProjector>());
        return services;
    }
}
