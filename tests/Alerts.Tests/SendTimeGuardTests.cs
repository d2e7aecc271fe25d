using BudgetActors.Alerts.Tests.Support;

namespace BudgetActors.Alerts.Tests;

/// <summary>
/// The same rules again at every send: the destination is resolved, every address checked, and the
/// connection made to a checked address. Each URL here points at a live local receiver, so a send
/// that got past the guard would show up there.
/// </summary>
public sealed class SendTimeGuardTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> HttpButPublicOnly = new()
    {
        ["AllowInsecureUrls"] = "true",
        ["AllowPrivateNetworks"] = "false",
        ["Delivery:MaxAttempts"] = "1",
    };

    private HttpReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_name_that_now_resolves_to_loopback_is_refused_at_send_time_without_connecting()
    {
        // Public when the channel was saved …
        var resolver = new FakeHostResolver().Set("hooks.example.com", "93.184.216.34");
        var url = $"http://hooks.example.com:{receiver.Port}/hook";
        Assert.True((await ChannelRules.ValidateAsync("h", "webhook", url, null, new NetworkPolicy(true, false), resolver)).IsEmpty);

        // … loopback when the alert is sent (DNS rebinding).
        resolver.Set("hooks.example.com", "127.0.0.1");
        await using var harness = await DeliveryHarness.StartAsync(HttpButPublicOnly, resolver: resolver);
        harness.Channels.Add("acme", AlertChannel.Webhook("h", url, ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "h");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.Equal("refused: 'hooks.example.com' resolves to 127.0.0.1, a non-public address: loopback. Private networks are not allowed (Alerts:AllowPrivateNetworks).", failed.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task One_private_address_among_public_ones_refuses_the_host()
    {
        var resolver = new FakeHostResolver().Set("hooks.example.com", "93.184.216.34", "127.0.0.1");
        await using var harness = await DeliveryHarness.StartAsync(HttpButPublicOnly, resolver: resolver);
        harness.Channels.Add("acme", AlertChannel.Slack("s", $"http://hooks.example.com:{receiver.Port}/hook"));
        var request = DeliveryRequest.For(Notices.Threshold(), "s");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.StartsWith("refused: 'hooks.example.com' resolves to 127.0.0.1", failed.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_loopback_literal_saved_under_a_laxer_policy_is_refused_at_send_time()
    {
        await using var harness = await DeliveryHarness.StartAsync(HttpButPublicOnly);
        harness.Channels.Add("acme", AlertChannel.Webhook("h", receiver.Url("/hook"), ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "h");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.StartsWith("refused: 127.0.0.1 is a non-public address: loopback.", failed.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Plain_http_saved_under_a_laxer_policy_is_refused_at_send_time()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string>
        {
            ["AllowInsecureUrls"] = "false",
            ["Delivery:MaxAttempts"] = "1",
        });
        harness.Channels.Add("acme", AlertChannel.Webhook("h", receiver.Url("/hook"), ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "h");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.StartsWith("refused: Must be https", failed.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_that_was_checked_under_the_urls_host_name()
    {
        var resolver = new FakeHostResolver().Set("receiver.test", "127.0.0.1");
        await using var harness = await DeliveryHarness.StartAsync(resolver: resolver);
        harness.Channels.Add("acme", AlertChannel.Webhook("h", $"http://receiver.test:{receiver.Port}/hook", ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "h");

        await harness.Outbox.EnqueueAsync([request]);
        await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        var received = Assert.Single(receiver.Requests);
        Assert.Equal($"receiver.test:{receiver.Port}", received.Header("host"));
    }
}
