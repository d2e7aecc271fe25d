using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BudgetActors.Grains.Ledger;

public static class SpendLedgerRegistration
{
    /// <summary>
    /// Registers <see cref="ISpendLedger"/> for the storage provider: PostgreSQL (one
    /// <see cref="PostgresSpendLedger"/> per process, disposed with the container, so queued appends
    /// are written on shutdown) or in memory. An <see cref="ISpendLedger"/> registered earlier is
    /// kept, and one registered later wins: a multi-silo test cluster in one process can give all
    /// its silos one <see cref="InMemorySpendLedger"/>.
    /// </summary>
    /// <param name="configuration">Where the <c>Ledger</c> section (<see cref="LedgerOptions"/>) is read from, if anywhere.</param>
    public static IServiceCollection AddSpendLedger(this IServiceCollection services, StorageSettings storage, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<LedgerOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(LedgerOptions.Section));
        }

        switch (storage.Provider)
        {
            case StorageProvider.Postgres:
                var connectionString = storage.ConnectionString
                    ?? throw new InvalidOperationException("The PostgreSQL ledger needs ConnectionStrings:Postgres.");
                services.TryAddSingleton(provider =>
                    new PostgresSpendLedger(connectionString, provider.GetRequiredService<IOptions<LedgerOptions>>().Value));
                services.TryAddSingleton<ISpendLedger>(provider => provider.GetRequiredService<PostgresSpendLedger>());
                break;
            default:
                services.TryAddSingleton<ISpendLedger, InMemorySpendLedger>();
                break;
        }

        return services;
    }
}
