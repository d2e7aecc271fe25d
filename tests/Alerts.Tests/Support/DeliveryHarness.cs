using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BudgetActors.Alerts.Tests.Support;

/// <summary>
/// Alert delivery as a host wires it (<see cref="AlertDeliveryRegistration.AddAlertDelivery"/>):
/// the outbox, the worker running, channels from <see cref="Channels"/>, outcomes into <see cref="Sink"/>.
/// Settings are the <c>Alerts</c> section's keys without the prefix; fast retries unless overridden.
/// </summary>
public sealed class DeliveryHarness : IAsyncDisposable
{
    /// <summary>Local receivers over http, quick retries: a test's whole schedule passes in well under a second.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fast = new Dictionary<string, string>
    {
        ["AllowInsecureUrls"] = "true",
        ["AllowPrivateNetworks"] = "true",
        // 8 s, not less: on a loaded machine a first exchange (JIT, MailKit's handshake) can take seconds,
        // and a send timed out after the receiver got it is retried — a second copy, at least once by design.
        ["Delivery:SendTimeout"] = "00:00:08",
        ["Delivery:MaxAttempts"] = "3",
        ["Delivery:FirstRetryDelay"] = "00:00:00.050",
        ["Delivery:MaxRetryDelay"] = "00:00:01",
        ["Delivery:Jitter"] = "0",
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:LeaseDuration"] = "00:00:10",
    };

    private readonly ServiceProvider _services;
    private readonly IHostedService _worker;
    private bool _stopped;

    private DeliveryHarness(ServiceProvider services, StaticChannels channels, RecordingSink sink)
    {
        _services = services;
        Channels = channels;
        Sink = sink;
        _worker = services.GetServices<IHostedService>().OfType<DeliveryWorker>().Single();
    }

    public StaticChannels Channels { get; }

    public RecordingSink Sink { get; }

    public IAlertOutbox Outbox => _services.GetRequiredService<IAlertOutbox>();

    public IDeliveryStore Store => _services.GetRequiredService<IDeliveryStore>();

    public AlertDispatcher Dispatcher => _services.GetRequiredService<AlertDispatcher>();

    public IServiceProvider Services => _services;

    public static async Task<DeliveryHarness> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null,
        AlertStorage storage = AlertStorage.Memory,
        string? connectionString = null,
        TimeProvider? time = null,
        IHostResolver? resolver = null,
        StaticChannels? channels = null,
        Action<IServiceCollection>? configure = null,
        bool start = true)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in Fast)
        {
            values["Alerts:" + key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            values["Alerts:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        channels ??= new StaticChannels();
        var sink = new RecordingSink();
        services.AddSingleton<IChannelResolver>(channels);
        services.AddSingleton<IDeliveryOutcomeSink>(sink);
        services.AddAlertDelivery(configuration, storage, connectionString);
        configure?.Invoke(services);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var harness = new DeliveryHarness(provider, channels, sink);
        if (start)
        {
            await harness._worker.StartAsync(CancellationToken.None);
        }
        else
        {
            harness._stopped = true;
        }

        return harness;
    }

    /// <summary>Stops the worker as a host would (sends in flight finish), once.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _worker.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
