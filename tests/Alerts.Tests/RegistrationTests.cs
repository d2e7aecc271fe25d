using BudgetActors.Alerts.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task A_host_with_the_defaults_starts_and_binds_the_Alerts_section()
    {
        using var host = Build(new()
        {
            ["Alerts:AllowInsecureUrls"] = "true",
            ["Alerts:Smtp:Host"] = "smtp.example.com",
            ["Alerts:Smtp:From"] = "alerts@example.com",
            ["Alerts:Delivery:SendTimeout"] = "00:00:05",
        });
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<AlertOptions>>().Value;
        Assert.True(options.AllowInsecureUrls);
        Assert.False(options.AllowPrivateNetworks);
        Assert.Equal("smtp.example.com", options.Smtp.Host);
        Assert.Equal(587, options.Smtp.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Delivery.SendTimeout);
        Assert.Equal(6, options.Delivery.MaxAttempts);
        Assert.Equal(TimeSpan.FromHours(1), options.ForecastInterval);
        Assert.IsType<InMemoryAlertOutbox>(host.Services.GetRequiredService<IAlertOutbox>());
        Assert.Same(host.Services.GetRequiredService<IAlertOutbox>(), host.Services.GetRequiredService<IDeliveryStore>());
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<DeliveryWorker>());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Alerts:Delivery:MaxAttempts", "0", "Alerts:Delivery:MaxAttempts")]
    [InlineData("Alerts:Delivery:SendTimeout", "00:00:00", "Alerts:Delivery:SendTimeout")]
    [InlineData("Alerts:Delivery:LeaseDuration", "00:00:05", "Alerts:Delivery:LeaseDuration")]
    [InlineData("Alerts:Delivery:MaxInFlightPerTenant", "100", "Alerts:Delivery:MaxInFlightPerTenant")]
    [InlineData("Alerts:Delivery:Jitter", "2", "Alerts:Delivery:Jitter")]
    [InlineData("Alerts:Smtp:Host", "smtp.example.com", "Alerts:Smtp:From")]
    [InlineData("Alerts:ForecastInterval", "00:00:00.5", "Alerts:ForecastInterval")]
    [InlineData("Alerts:ForecastInterval", "2.00:00:00", "Alerts:ForecastInterval")]
    public async Task Invalid_settings_stop_the_host_at_start_naming_the_key(string key, string value, string named)
    {
        using var host = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void The_PostgreSQL_outbox_needs_a_connection_string() =>
        Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddAlertDelivery(new ConfigurationBuilder().Build(), AlertStorage.Postgres));

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IChannelResolver>(new StaticChannels());
        builder.Services.AddSingleton<IDeliveryOutcomeSink>(new RecordingSink());
        builder.Services.AddAlertDelivery(builder.Configuration, AlertStorage.Memory);
        return builder.Build();
    }
}
