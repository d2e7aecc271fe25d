using System.Collections.Concurrent;
using BudgetActors.Alerts.Tests.Support;

namespace BudgetActors.Alerts.Tests;

/// <summary>The delivery worker on the PostgreSQL outbox: several silos, crashes, restarts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveryTests(PostgresFixture database) : IAsyncLifetime
{
    private HttpReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        await Outboxes.EmptyAsync(database.ConnectionString);
        receiver = await HttpReceiver.StartAsync();
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Two_workers_on_one_outbox_never_send_the_same_delivery_at_once_and_send_each_once()
    {
        var inFlight = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        receiver.Respond = async (request, aborted) =>
        {
            var id = request.Header("webhook-id");
            if (inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Delay(20, aborted);
            inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            return (204, "");
        };
        var channels = new StaticChannels().Add("acme", AlertChannel.Webhook("hook", receiver.Url("/hook"), ChannelSecrets.Generate()));
        var settings = new Dictionary<string, string> { ["Delivery:MaxInFlight"] = "4", ["Delivery:MaxInFlightPerTenant"] = "4" };
        await using var first = await DeliveryHarness.StartAsync(settings, AlertStorage.Postgres, database.ConnectionString, channels: channels);
        await using var second = await DeliveryHarness.StartAsync(settings, AlertStorage.Postgres, database.ConnectionString, channels: channels);

        var requests = Enumerable.Range(1, 60).Select(i => DeliveryRequest.For(Notices.Threshold("acme", $"al-{i}"), "hook")).ToList();
        await first.Outbox.EnqueueAsync(requests[..30]);
        await second.Outbox.EnqueueAsync(requests[30..]);

        await Eventually.HoldsAsync(() => first.Sink.Outcomes.Count + second.Sink.Outcomes.Count >= 60, TimeSpan.FromSeconds(30), "60 deliveries reported");
        await Task.Delay(200);

        Assert.Equal(0, overlaps);
        Assert.Equal(60, receiver.Requests.Count);
        Assert.Equal(requests.Select(r => r.MessageId).Order(), receiver.Requests.Select(r => r.Header("webhook-id")).Order());
        var outcomes = first.Sink.Outcomes.Concat(second.Sink.Outcomes).ToList();
        Assert.Equal(60, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((DeliveryStatus.Delivered, 1), (o.Status, o.Attempts)));
    }

    [Fact]
    public async Task A_claim_left_by_a_crashed_worker_is_sent_by_another_after_its_lease()
    {
        var channels = new StaticChannels().Add("acme", AlertChannel.Webhook("hook", receiver.Url("/hook"), ChannelSecrets.Generate()));
        await using var crashed = new PostgresAlertOutbox(database.ConnectionString, new OutboxSignal(), TimeProvider.System);
        var request = DeliveryRequest.For(Notices.Threshold(), "hook");
        await crashed.EnqueueAsync([request]);

        // A worker claims it for 1.5 s and dies before sending (or while sending: it never says).
        var now = DateTimeOffset.UtcNow;
        var claim = Assert.Single(await crashed.ClaimAsync(10, [], now, now + TimeSpan.FromSeconds(1.5)));

        await using var survivor = await DeliveryHarness.StartAsync(storage: AlertStorage.Postgres, connectionString: database.ConnectionString, channels: channels);
        await Task.Delay(700);
        Assert.Empty(receiver.Requests);

        var delivered = await survivor.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered, TimeSpan.FromSeconds(10));
        Assert.Equal(2, delivered.Attempts);
        var received = Assert.Single(receiver.Requests);
        Assert.True(received.At >= claim.LeaseUntil, $"sent at {received.At:O}, before the lease ran out at {claim.LeaseUntil:O}");
        Assert.Equal(request.MessageId, received.Header("webhook-id"));

        // The dead worker's outcome, should it come back, is not recorded.
        Assert.False(await crashed.CompleteAsync(claim, new DeliveryCompletion(DeliveryStatus.Failed, "late", DateTimeOffset.UtcNow)));
        var record = Assert.Single(await survivor.Outbox.ListAsync("acme", "al-1"));
        Assert.Equal((DeliveryStatus.Delivered, 2), (record.Status, record.Attempts));
    }

    [Fact]
    public async Task Outcomes_survive_a_restart_of_the_worker()
    {
        var up = false;
        receiver.Respond = (request, _) => Task.FromResult(request.Path == "/ok" || Volatile.Read(ref up) ? (204, "") : (500, "down"));
        var channels = new StaticChannels()
            .Add("acme", AlertChannel.Webhook("ok", receiver.Url("/ok"), ChannelSecrets.Generate()))
            .Add("acme", AlertChannel.Webhook("flaky", receiver.Url("/flaky"), ChannelSecrets.Generate()))
            .Add("acme", AlertChannel.Webhook("broken", receiver.Url("/broken"), ChannelSecrets.Generate()));
        var notice = Notices.Threshold();
        var ok = DeliveryRequest.For(notice, "ok");
        var flaky = DeliveryRequest.For(notice, "flaky");
        var broken = DeliveryRequest.For(notice, "broken");

        // Before the restart: one failed for good (one try allowed) …
        await using (var once = await DeliveryHarness.StartAsync(
            new Dictionary<string, string> { ["Delivery:MaxAttempts"] = "1" }, AlertStorage.Postgres, database.ConnectionString, channels: channels))
        {
            await once.Outbox.EnqueueAsync([broken]);
            await once.Sink.WaitForAsync(broken.MessageId, DeliveryStatus.Failed);
        }

        // … one delivered, and one failed once with its retry still to come.
        var settings = new Dictionary<string, string> { ["Delivery:MaxAttempts"] = "2", ["Delivery:FirstRetryDelay"] = "00:00:01" };
        await using (var before = await DeliveryHarness.StartAsync(settings, AlertStorage.Postgres, database.ConnectionString, channels: channels))
        {
            await before.Outbox.EnqueueAsync([ok, flaky]);
            await before.Sink.WaitForAsync(ok.MessageId, DeliveryStatus.Delivered);
            await before.Sink.WaitForAsync(flaky.MessageId, DeliveryStatus.Pending);
        }

        // Nothing runs now; the outbox, read afresh, remembers everything.
        await using (var reader = new PostgresAlertOutbox(database.ConnectionString, new OutboxSignal(), TimeProvider.System))
        {
            var records = (await reader.ListAsync("acme", "al-1")).ToDictionary(r => r.ChannelId);
            Assert.Equal((DeliveryStatus.Delivered, 1, (string?)null), (records["ok"].Status, records["ok"].Attempts, records["ok"].LastError));
            Assert.Equal((DeliveryStatus.Pending, 1, "HTTP 500 Internal Server Error: down"), (records["flaky"].Status, records["flaky"].Attempts, records["flaky"].LastError));
            Assert.Equal((DeliveryStatus.Failed, 1, "HTTP 500 Internal Server Error: down"), (records["broken"].Status, records["broken"].Attempts, records["broken"].LastError));
        }

        // After the restart: the retry is made, as attempt 2 with the same webhook-id; nothing finished is sent again.
        Volatile.Write(ref up, true);
        await using var after = await DeliveryHarness.StartAsync(settings, AlertStorage.Postgres, database.ConnectionString, channels: channels);
        var delivered = await after.Sink.WaitForAsync(flaky.MessageId, DeliveryStatus.Delivered, TimeSpan.FromSeconds(10));
        Assert.Equal(2, delivered.Attempts);
        await Task.Delay(300);

        Assert.Single(receiver.On("/ok"));
        Assert.Single(receiver.On("/broken"));
        Assert.Equal(2, receiver.On("/flaky").Count);
        Assert.All(receiver.On("/flaky"), r => Assert.Equal(flaky.MessageId, r.Header("webhook-id")));
        Assert.Equal([flaky.MessageId], after.Sink.Outcomes.Select(o => o.Request.MessageId));
        var final = (await after.Outbox.ListAsync("acme", "al-1")).ToDictionary(r => r.ChannelId);
        Assert.Equal((DeliveryStatus.Delivered, 2), (final["flaky"].Status, final["flaky"].Attempts));
        Assert.Equal("HTTP 500 Internal Server Error: down", final["flaky"].LastError);
    }
}
