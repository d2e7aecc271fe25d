using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts;

public static class AlertDeliveryRegistration
{
    /// <summary>
    /// Registers alert delivery: <see cref="AlertOptions"/> from the <c>Alerts</c> section, validated
    /// at start; the outbox (<see cref="IAlertOutbox"/>) in memory or in PostgreSQL; the senders, the
    /// <see cref="AlertDispatcher"/> and the <see cref="AlertChannelValidator"/>; and the
    /// <see cref="DeliveryWorker"/> as a hosted service. The host must register an
    /// <see cref="IChannelResolver"/> and an <see cref="IDeliveryOutcomeSink"/>. A
    /// <see cref="TimeProvider"/> or <see cref="IHostResolver"/> registered before is kept.
    /// </summary>
    /// <param name="configuration">The root configuration (the <c>Alerts</c> section is read from it).</param>
    /// <param name="connectionString">The Npgsql connection string, for <see cref="AlertStorage.Postgres"/>.</param>
    public static IServiceCollection AddAlertDelivery(
        this IServiceCollection services, IConfiguration configuration, AlertStorage storage, string? connectionString = null)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton<DestinationGuard>();
        services.TryAddSingleton<ChannelHttpClient>();
        services.TryAddSingleton<AlertChannelValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSender, WebhookSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSender, SlackSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSender, EmailSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSender, InAppSender>());
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<OutboxSignal>();

        switch (storage)
        {
            case AlertStorage.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("The PostgreSQL alert outbox needs a connection string (ConnectionStrings:Postgres).");
                }

                services.TryAddSingleton(provider => new PostgresAlertOutbox(
                    connectionString, provider.GetRequiredService<OutboxSignal>(), provider.GetRequiredService<TimeProvider>()));
                services.TryAddSingleton<IAlertOutbox>(provider => provider.GetRequiredService<PostgresAlertOutbox>());
                services.TryAddSingleton<IDeliveryStore>(provider => provider.GetRequiredService<PostgresAlertOutbox>());
                break;
            case AlertStorage.Memory:
                services.TryAddSingleton<InMemoryAlertOutbox>();
                services.TryAddSingleton<IAlertOutbox>(provider => provider.GetRequiredService<InMemoryAlertOutbox>());
                services.TryAddSingleton<IDeliveryStore>(provider => provider.GetRequiredService<InMemoryAlertOutbox>());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(storage), storage, "Memory or Postgres.");
        }

        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
