using BudgetActors.Alerts.Tests.Support;

namespace BudgetActors.Alerts.Tests;

/// <summary>What every outbox does, in memory and in PostgreSQL alike. Each test uses its own tenant.</summary>
public abstract class OutboxBehaviourTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    protected abstract IAlertOutbox Outbox { get; }

    protected abstract IDeliveryStore Store { get; }

    private readonly string tenant = "t-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Enqueueing_the_same_delivery_twice_keeps_one()
    {
        var request = Request("al-1", "hook");
        await Outbox.EnqueueAsync([request, request]);
        await Outbox.EnqueueAsync([request]);

        var record = Assert.Single(await Outbox.ListAsync(tenant, "al-1"));
        Assert.Equal(request.MessageId, record.MessageId);
        Assert.Equal(DeliveryStatus.Pending, record.Status);
        Assert.Equal(0, record.Attempts);
        Assert.Single(await ClaimMineAsync(10, Now));
    }

    [Fact]
    public async Task A_claimed_delivery_is_nobody_elses_until_its_lease_runs_out()
    {
        var request = Request("al-1", "hook");
        await Outbox.EnqueueAsync([request]);

        var first = Assert.Single(await ClaimMineAsync(10, Now));
        Assert.Equal(1, first.Attempt);
        Assert.Equal(request, first.Request);
        Assert.Empty(await ClaimMineAsync(10, Now + Lease - TimeSpan.FromSeconds(1)));

        // The first worker is presumed dead: the delivery is claimed again, as the next attempt.
        var again = Assert.Single(await ClaimMineAsync(10, Now + Lease));
        Assert.Equal(2, again.Attempt);
        Assert.NotEqual(first.Token, again.Token);

        // The dead worker's late outcome is not recorded over the live one's claim.
        Assert.False(await Store.CompleteAsync(first, new DeliveryCompletion(DeliveryStatus.Delivered, null, Now)));
        Assert.True(await Store.CompleteAsync(again, new DeliveryCompletion(DeliveryStatus.Delivered, null, Now + Lease)));
        var record = Assert.Single(await Outbox.ListAsync(tenant, "al-1"));
        Assert.Equal(DeliveryStatus.Delivered, record.Status);
        Assert.Equal(2, record.Attempts);
    }

    [Fact]
    public async Task A_retry_is_due_at_its_time_and_keeps_its_error_and_a_failure_is_final()
    {
        await Outbox.EnqueueAsync([Request("al-1", "hook")]);
        var claim = Assert.Single(await ClaimMineAsync(10, Now));
        Assert.True(await Store.CompleteAsync(claim, new DeliveryCompletion(DeliveryStatus.Pending, "HTTP 500", Now, Now + TimeSpan.FromSeconds(30))));

        var waiting = Assert.Single(await Outbox.ListAsync(tenant, "al-1"));
        Assert.Equal((DeliveryStatus.Pending, 1, "HTTP 500"), (waiting.Status, waiting.Attempts, waiting.LastError));
        Assert.Equal(Now + TimeSpan.FromSeconds(30), waiting.NextAttemptAt);
        Assert.Empty(await ClaimMineAsync(10, Now + TimeSpan.FromSeconds(29)));

        var retry = Assert.Single(await ClaimMineAsync(10, Now + TimeSpan.FromSeconds(30)));
        Assert.Equal(2, retry.Attempt);
        Assert.True(await Store.CompleteAsync(retry, new DeliveryCompletion(DeliveryStatus.Failed, "HTTP 503", Now + TimeSpan.FromSeconds(31))));

        var failed = Assert.Single(await Outbox.ListAsync(tenant, "al-1"));
        Assert.Equal((DeliveryStatus.Failed, 2, "HTTP 503"), (failed.Status, failed.Attempts, failed.LastError));
        Assert.Empty(await ClaimMineAsync(10, Now + TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task A_released_claim_is_due_again_at_once_and_uncounted()
    {
        await Outbox.EnqueueAsync([Request("al-1", "hook")]);
        var claim = Assert.Single(await ClaimMineAsync(10, Now));
        await Store.ReleaseAsync(claim);

        var again = Assert.Single(await ClaimMineAsync(10, Now));
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public async Task Claims_take_the_oldest_due_first_at_most_the_number_asked_and_skip_excluded_tenants()
    {
        await Outbox.EnqueueAsync([Request("al-1", "a"), Request("al-1", "b"), Request("al-1", "c")]);

        Assert.Empty(await Store.ClaimAsync(10, [tenant], Now, Now + Lease));
        var two = await ClaimMineAsync(2, Now);
        Assert.Equal(["a", "b"], two.Select(c => c.Request.ChannelId).Order());
        Assert.Equal(2, two.Count);
        var last = Assert.Single(await ClaimMineAsync(10, Now));
        Assert.DoesNotContain(last.Id, two.Select(c => c.Id));
    }

    [Fact]
    public async Task Finished_deliveries_are_purged_after_their_retention_and_pending_ones_never()
    {
        await Outbox.EnqueueAsync([Request("al-1", "done"), Request("al-1", "waiting")]);
        foreach (var claim in await ClaimMineAsync(10, Now))
        {
            var done = claim.Request.ChannelId == "done";
            await Store.CompleteAsync(claim, done
                ? new DeliveryCompletion(DeliveryStatus.Delivered, null, Now)
                : new DeliveryCompletion(DeliveryStatus.Pending, "HTTP 500", Now, Now + TimeSpan.FromDays(400)));
        }

        await Store.PurgeAsync(Now + TimeSpan.FromDays(1));

        var left = Assert.Single(await Outbox.ListAsync(tenant, "al-1"));
        Assert.Equal("waiting", left.ChannelId);
    }

    [Fact]
    public async Task A_notice_comes_back_from_the_outbox_exactly_as_it_went_in()
    {
        var notice = Notices.Threshold(tenant) with { Spent = 1234567.890000m, Limit = null, PeriodEnd = null, Threshold = null, Metric = "tokens", Currency = null };
        await Outbox.EnqueueAsync([DeliveryRequest.For(notice, "hook"), DeliveryRequest.For(Notices.Threshold(tenant, "al-2"), "hook")]);

        var claims = await ClaimMineAsync(10, Now);
        Assert.Equal(notice, claims.Single(c => c.Request.AlertId == "al-1").Request.Notice);
        Assert.Equal(Notices.Threshold(tenant, "al-2"), claims.Single(c => c.Request.AlertId == "al-2").Request.Notice);
        Assert.Equal("1234567.890000", claims.Single(c => c.Request.AlertId == "al-1").Request.Notice.Spent.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_request_that_does_not_hold_together_is_refused()
    {
        var request = Request("al-1", "hook");
        await Assert.ThrowsAsync<ArgumentException>(() => Outbox.EnqueueAsync([request with { Tenant = "other" }]));
        await Assert.ThrowsAsync<ArgumentException>(() => Outbox.EnqueueAsync([request with { MessageId = "" }]));
        Assert.Empty(await Outbox.ListAsync(tenant, "al-1"));
    }

    /// <summary>
    /// The test's "now": enqueues take the outbox's clock, so claims are judged a second later; whole
    /// milliseconds, which PostgreSQL's timestamptz (microseconds) keeps exactly.
    /// </summary>
    private DateTimeOffset Now { get; } = new DateTimeOffset((DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1)).Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private DeliveryRequest Request(string alertId, string channelId) => DeliveryRequest.For(Notices.Threshold(tenant, alertId), channelId);

    /// <summary>
    /// Claims, as a worker that has none of this tenant in flight. (The PostgreSQL tests empty the
    /// table before each test, and the tests of one collection run one at a time, so every due row is this test's.)
    /// </summary>
    private Task<IReadOnlyList<ClaimedDelivery>> ClaimMineAsync(int max, DateTimeOffset now) =>
        Store.ClaimAsync(max, [], now, now + Lease);
}
