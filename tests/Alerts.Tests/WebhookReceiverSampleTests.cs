using BudgetActors.Alerts.Tests.Support;
using BudgetActors.WebhookReceiver;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetActors.Alerts.Tests;

/// <summary>The sample receiver (samples/WebhookReceiver), on a real port, receiving real deliveries.</summary>
public sealed class WebhookReceiverSampleTests : IAsyncLifetime
{
    private readonly string secret = ChannelSecrets.Generate();
    private readonly int port = FreePorts.Take(1)[0];
    private WebApplication app = null!;

    private string Url => $"http://127.0.0.1:{port}{ReceiverApp.Path}";

    public async Task InitializeAsync()
    {
        app = ReceiverApp.Build(["--urls", $"http://127.0.0.1:{port}", "--Webhook:Secret", secret, "--Logging:LogLevel:Default", "Warning"]);
        await app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task It_accepts_a_delivery_and_answers_a_repeat_of_it_without_handling_it_again()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.Webhook("hook", Url, secret));
        var request = DeliveryRequest.For(Notices.Threshold(), "hook");
        var seen = app.Services.GetRequiredService<SeenMessages>();

        await harness.Outbox.EnqueueAsync([request]);
        await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);
        Assert.True(seen.Contains(request.MessageId));
        Assert.Equal(1, seen.Count);

        // The same message again (as a retry after a lost answer would be): 204, not handled twice.
        var again = await harness.Dispatcher.SendAsync(
            AlertChannel.Webhook("hook", Url, secret), new DeliveryAttempt(request, 2, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(again.Delivered, again.Error);
        Assert.Equal(1, seen.Count);
    }

    [Fact]
    public async Task It_refuses_a_wrong_secret_and_a_stale_timestamp()
    {
        await using var harness = await DeliveryHarness.StartAsync(start: false);
        var request = DeliveryRequest.For(Notices.Threshold(), "hook");

        var forged = await harness.Dispatcher.SendAsync(
            AlertChannel.Webhook("hook", Url, ChannelSecrets.Generate()), new DeliveryAttempt(request, 1, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.False(forged.Delivered);
        Assert.StartsWith("HTTP 401 Unauthorized", forged.Error);
        Assert.Contains("BadSignature", forged.Error);

        var stale = await harness.Dispatcher.SendAsync(
            AlertChannel.Webhook("hook", Url, secret), new DeliveryAttempt(request, 1, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(6)), CancellationToken.None);
        Assert.False(stale.Delivered);
        Assert.Contains("StaleTimestamp", stale.Error);

        Assert.Equal(0, app.Services.GetRequiredService<SeenMessages>().Count);
    }
}
