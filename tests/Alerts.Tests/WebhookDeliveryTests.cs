using System.Diagnostics;
using System.Text.Json;
using BudgetActors.Alerts.Tests.Support;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace BudgetActors.Alerts.Tests;

/// <summary>Webhook deliveries to a real HTTP server on a free port, through the outbox and the worker.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private HttpReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_delivery_is_a_signed_Standard_Webhook_with_the_body_of_the_contract()
    {
        var secret = ChannelSecrets.Generate();
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.Webhook("ops-hook", receiver.Url("/hook"), secret));
        var request = DeliveryRequest.For(Notices.Threshold(), "ops-hook");

        var before = DateTimeOffset.UtcNow;
        await harness.Outbox.EnqueueAsync([request]);
        var outcome = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        Assert.Equal(1, outcome.Attempts);
        Assert.Equal(AlertChannelType.Webhook, outcome.ChannelType);
        var received = Assert.Single(receiver.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/hook", received.Path);
        Assert.StartsWith("application/json", received.Header("content-type"));
        Assert.Equal(request.MessageId, received.Header("webhook-id"));
        var timestamp = long.Parse(received.Header("webhook-timestamp"));
        Assert.InRange(timestamp, before.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        // The contract's body, byte for byte: field order, decimals as held (8.00, not 8), no currency.
        Assert.Equal(
            """{"type":"budget.threshold_crossed","timestamp":"2026-12-01T14:03:00+00:00","data":{"tenant":"acme","budgetId":"alice-daily","alertId":"al-1","threshold":0.75,"utilization":0.80,"state":"warning","spent":8.00,"limit":10.00,"periodEnd":"2026-12-02T00:00:00+01:00","message":"alice-daily reached 75% of its daily cost limit"}}""",
            received.Text);

        // The signature, checked by our verifier and by the reference implementation (the StandardWebhooks package).
        Assert.StartsWith("v1,", received.Header("webhook-signature"));
        Assert.True(WebhookSignature.Verify(secret, request.MessageId, timestamp, received.Body, received.Header("webhook-signature")));
        ReferenceVerify(secret, received);
        Assert.False(WebhookSignature.Verify(ChannelSecrets.Generate(), request.MessageId, timestamp, received.Body, received.Header("webhook-signature")));

        var record = Assert.Single(await harness.Outbox.ListAsync("acme", "al-1"));
        Assert.Equal(DeliveryStatus.Delivered, record.Status);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task Retries_after_server_errors_carry_the_same_webhook_id_and_a_fresh_valid_signature()
    {
        var secret = ChannelSecrets.Generate();
        var calls = 0;
        receiver.Respond = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) <= 2 ? (500, "boom: database is down") : (204, ""));
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.Webhook("ops-hook", receiver.Url("/hook"), secret));
        var request = DeliveryRequest.For(Notices.Threshold(), "ops-hook");

        await harness.Outbox.EnqueueAsync([request]);
        var delivered = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        Assert.Equal(3, delivered.Attempts);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r =>
        {
            Assert.Equal(request.MessageId, r.Header("webhook-id"));
            ReferenceVerify(secret, r);
        });
        Assert.Single(receiver.Requests.Select(r => r.Text).Distinct());

        var failures = harness.Sink.Of(request.MessageId).Where(o => o.Status == DeliveryStatus.Pending).ToList();
        Assert.Equal([1, 2], failures.Select(o => o.Attempts));
        Assert.All(failures, f =>
        {
            Assert.Equal("HTTP 500 Internal Server Error: boom: database is down", f.Error);
            Assert.NotNull(f.NextAttemptAt);
            Assert.True(f.NextAttemptAt > f.At);
        });
    }

    [Fact]
    public async Task A_send_that_times_out_is_retried_with_the_same_webhook_id()
    {
        var calls = 0;
        receiver.Respond = async (_, aborted) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), aborted);
            }

            return (204, "");
        };
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string> { ["Delivery:SendTimeout"] = "00:00:00.300" });
        harness.Channels.Add("acme", AlertChannel.Webhook("ops-hook", receiver.Url("/hook"), ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "ops-hook");

        var clock = Stopwatch.StartNew();
        await harness.Outbox.EnqueueAsync([request]);
        var delivered = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}: the timeout did not cut the first send short");
        Assert.Equal(2, delivered.Attempts);
        var first = Assert.Single(harness.Sink.Of(request.MessageId), o => o.Status == DeliveryStatus.Pending);
        Assert.Equal("timed out after 0.3 s", first.Error);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(request.MessageId, r.Header("webhook-id")));
    }

    [Fact]
    public async Task After_the_last_try_the_delivery_is_failed_with_its_error()
    {
        receiver.Respond = (_, _) => Task.FromResult((503, "maintenance"));
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.Webhook("ops-hook", receiver.Url("/hook"), ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "ops-hook");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.Equal(3, failed.Attempts);
        Assert.Equal("HTTP 503 Service Unavailable: maintenance", failed.Error);
        Assert.Null(failed.NextAttemptAt);
        var record = Assert.Single(await harness.Outbox.ListAsync("acme", "al-1"));
        Assert.Equal(DeliveryStatus.Failed, record.Status);
        Assert.Equal(3, record.Attempts);
        Assert.Equal("HTTP 503 Service Unavailable: maintenance", record.LastError);

        // Given up means given up: no fourth try.
        await Task.Delay(300);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Pending, DeliveryStatus.Failed], harness.Sink.Of(request.MessageId).Select(o => o.Status));
    }

    [Fact]
    public async Task A_tenant_whose_endpoint_hangs_does_not_delay_another_tenants_delivery()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (request, aborted) =>
        {
            if (request.Path == "/slow")
            {
                await release.Task.WaitAsync(aborted);
            }

            return (204, "");
        };
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:SendTimeout"] = "00:00:20",
            ["Delivery:LeaseDuration"] = "00:00:30",
            ["Delivery:MaxInFlight"] = "4",
            ["Delivery:MaxInFlightPerTenant"] = "2",
        });
        harness.Channels.Add("slowco", AlertChannel.Webhook("hook", receiver.Url("/slow"), ChannelSecrets.Generate()));
        harness.Channels.Add("acme", AlertChannel.Webhook("hook", receiver.Url("/fast"), ChannelSecrets.Generate()));

        // Many deliveries of the slow tenant first, enough to fill every slot of the worker if it let them.
        await harness.Outbox.EnqueueAsync([.. Enumerable.Range(1, 8).Select(i => DeliveryRequest.For(Notices.Threshold("slowco", $"slow-{i}"), "hook"))]);
        await Eventually.HoldsAsync(() => receiver.On("/slow").Count == 2, TimeSpan.FromSeconds(10), "two sends of the slow tenant in flight");

        var fast = DeliveryRequest.For(Notices.Threshold("acme", "fast-1"), "hook");
        var clock = Stopwatch.StartNew();
        await harness.Outbox.EnqueueAsync([fast]);
        await harness.Sink.WaitForAsync(fast.MessageId, DeliveryStatus.Delivered, TimeSpan.FromSeconds(5));

        // Well inside the 20 s that a worker stuck behind the hanging sends would take.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the other tenant's delivery took {clock.Elapsed}");
        Assert.Equal(2, receiver.On("/slow").Count);
        Assert.DoesNotContain(harness.Sink.Outcomes, o => o.Request.Tenant == "slowco");

        release.SetResult();
        await Eventually.HoldsAsync(() => harness.Sink.Outcomes.Count(o => o.Request.Tenant == "slowco" && o.Status == DeliveryStatus.Delivered) == 8,
            TimeSpan.FromSeconds(10), "the slow tenant's deliveries all delivered once it answers");
        Assert.Equal(8, receiver.On("/slow").Select(r => r.Header("webhook-id")).Distinct().Count());
    }

    [Fact]
    public async Task A_deleted_channel_fails_the_delivery_at_once()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        var request = DeliveryRequest.For(Notices.Threshold(), "gone");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.Equal(1, failed.Attempts);
        Assert.Equal("no such channel", failed.Error);
        Assert.Null(failed.ChannelType);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task In_app_channels_are_delivered_at_once_without_sending_anything()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.InApp("feed"));
        var request = DeliveryRequest.For(Notices.Threshold(), "feed");

        await harness.Outbox.EnqueueAsync([request]);
        var delivered = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        Assert.Equal(1, delivered.Attempts);
        Assert.Equal(AlertChannelType.InApp, delivered.ChannelType);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task An_escalation_is_its_own_delivery_and_an_enqueue_repeated_is_not()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.Webhook("ops-hook", receiver.Url("/hook"), ChannelSecrets.Generate()));
        var notice = Notices.Threshold();
        var alert = DeliveryRequest.For(notice, "ops-hook");
        var escalation = DeliveryRequest.For(notice, "ops-hook", DeliveryPurposes.Escalation);

        Assert.NotEqual(alert.MessageId, escalation.MessageId);
        Assert.Equal(alert, DeliveryRequest.For(notice, "ops-hook"));

        await harness.Outbox.EnqueueAsync([alert, escalation]);
        await harness.Outbox.EnqueueAsync([alert, escalation]);
        await harness.Sink.WaitForAsync(alert.MessageId, DeliveryStatus.Delivered);
        await harness.Sink.WaitForAsync(escalation.MessageId, DeliveryStatus.Delivered);
        await Task.Delay(200);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(new[] { alert.MessageId, escalation.MessageId }.Order(), receiver.Requests.Select(r => r.Header("webhook-id")).Order());
        Assert.Equal(2, (await harness.Outbox.ListAsync("acme", "al-1")).Count);
    }

    /// <summary>The StandardWebhooks package's verifier (it also refuses timestamps more than 5 minutes off).</summary>
    private static void ReferenceVerify(string secret, ReceivedRequest request)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = request.Header("webhook-id"),
            ["webhook-timestamp"] = request.Header("webhook-timestamp"),
            ["webhook-signature"] = request.Header("webhook-signature"),
        };
        new StandardWebhook(secret).Verify(request.Text, headers);
        using var _ = JsonDocument.Parse(request.Body);
    }
}
