using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BudgetActors.Grains.Audit;

public static class AuditLogRegistration
{
    /// <summary>
    /// The audit trail for the storage provider: PostgreSQL (one writer per process, disposed with the
    /// container so queued events are stored on shutdown) or memory. One registered earlier is kept,
    /// so a test cluster's silos can share one <see cref="InMemoryAuditLog"/>.
    /// </summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services, StorageSettings storage)
    {
        if (storage.Provider == StorageProvider.Postgres)
        {
            var connectionString = storage.ConnectionString!;
            services.TryAddSingleton(provider => new PostgresAuditLog(connectionString, provider.GetRequiredService<ILogger<PostgresAuditLog>>()));
            services.TryAddSingleton<IAuditLog>(provider => provider.GetRequiredService<PostgresAuditLog>());
        }
        else
        {
            services.TryAddSingleton<IAuditLog, InMemoryAuditLog>();
        }

        return services;
    }
}
