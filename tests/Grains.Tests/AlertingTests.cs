using System.Collections.Immutable;
using BudgetActors.Alerts;
using BudgetActors.Grains.Alerts;
using BudgetActors.Grains.Tests.Infrastructure;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// The alerts grain: a trigger becomes one alert however often it comes, cooldown and maxPerHour
/// hold deliveries back (kept in the feed as suppressed), and an alert nobody acknowledged escalates
/// once, on time by the business clock — not before, not twice, not after an acknowledgement.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AlertingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_unacknowledged_alert_escalates_once_when_its_time_comes_and_an_acknowledged_one_never()
    {
        var (tenant, alerts) = await TenantWithChannels("ops", "oncall");
        await PutBudget(tenant, new AlertPolicy([0.5m], ["ops"], 0, 10, false, new EscalationPolicy(30, ["oncall"])));

        await alerts.Raise(Trigger("team", "threshold|0.5", 0.5m));
        await alerts.Raise(Trigger("team", "threshold|0.9", 0.9m));
        var feed = (await alerts.Feed(new AlertFeedQuery())).Items;
        Assert.Equal([0.9m, 0.5m], feed.Select(a => a.Threshold));
        var (late, acknowledged) = (feed[1], feed[0]);
        await alerts.Acknowledge(acknowledged.Id);

        TestClock.Advance(TimeSpan.FromMinutes(29));
        await alerts.RunDue();
        Assert.Null((await Alert(alerts, late.Id)).EscalatedAt);

        TestClock.Advance(TimeSpan.FromMinutes(1));
        await alerts.RunDue();
        var escalated = await Alert(alerts, late.Id);
        Assert.Equal(TestClock.Now, escalated.EscalatedAt);
        Assert.Contains(escalated.Deliveries, d => d is { Channel: "oncall", Purpose: DeliveryPurposes.Escalation });
        Assert.Null((await Alert(alerts, acknowledged.Id)).EscalatedAt);

        TestClock.Advance(TimeSpan.FromMinutes(30));
        await alerts.RunDue();
        Assert.Equal(escalated.EscalatedAt, (await Alert(alerts, late.Id)).EscalatedAt);

        var outboxes = fixture.OnEachSilo<IAlertOutbox>();
        var sent = (await Task.WhenAll(outboxes.Select(o => o.ListAsync(tenant.Id, late.Id)))).SelectMany(d => d).ToList();
        Assert.Single(sent, d => d.ChannelId == "oncall");
        Assert.Single(sent, d => d.ChannelId == "ops");
        Assert.DoesNotContain((await Task.WhenAll(outboxes.Select(o => o.ListAsync(tenant.Id, acknowledged.Id)))).SelectMany(d => d), d => d.ChannelId == "oncall");

        var trail = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, BudgetId: "team"));
        Assert.Single(trail.Items, e => e.Type == AuditEventTypes.AlertEscalated);
        Assert.Single(trail.Items, e => e.Type == AuditEventTypes.AlertAcknowledged);
        Assert.Equal(2, trail.Items.Count(e => e.Type == AuditEventTypes.ThresholdCrossed));
    }

    [Fact]
    public async Task The_same_trigger_twice_is_one_alert_and_one_message()
    {
        var (tenant, alerts) = await TenantWithChannels("ops");
        await PutBudget(tenant, new AlertPolicy([0.75m], ["ops"], 60, 10, false, null));

        var trigger = Trigger("team", "threshold|0.75", 0.75m);
        await Task.WhenAll(alerts.Raise(trigger), alerts.Raise(trigger), alerts.Raise(trigger));

        var alert = Assert.Single((await alerts.Feed(new AlertFeedQuery())).Items);
        var sent = (await Task.WhenAll(fixture.OnEachSilo<IAlertOutbox>().Select(o => o.ListAsync(tenant.Id, alert.Id)))).SelectMany(d => d);
        Assert.Single(sent);
    }

    [Fact]
    public async Task Cooldown_and_max_per_hour_hold_deliveries_back_per_budget_and_channel_and_keep_them_in_the_feed()
    {
        var (tenant, alerts) = await TenantWithChannels("ops", "pager");
        await PutBudget(tenant, new AlertPolicy([0.1m, 0.2m, 0.3m, 0.4m], ["ops"], 10, 2, false, null), "a");
        await PutBudget(tenant, new AlertPolicy([0.1m], ["ops"], 10, 2, false, null), "b");

        await alerts.Raise(Trigger("a", "t1", 0.1m));
        TestClock.Advance(TimeSpan.FromMinutes(5));
        await alerts.Raise(Trigger("a", "t2", 0.2m)); // within a's 10-minute cooldown on ops
        await alerts.Raise(Trigger("b", "t1", 0.1m)); // another budget: its own cooldown
        TestClock.Advance(TimeSpan.FromMinutes(6));
        await alerts.Raise(Trigger("a", "t3", 0.3m)); // cooldown over; 2 sent within the hour now
        TestClock.Advance(TimeSpan.FromMinutes(11));
        await alerts.Raise(Trigger("a", "t4", 0.4m)); // cooldown over, but maxPerHour (2) reached

        var feed = (await alerts.Feed(new AlertFeedQuery(BudgetId: "a"))).Items.Reverse().ToList();
        Assert.Equal(["sent", "suppressed", "sent", "suppressed"], feed.Select(a => Sent(a.Deliveries.Single())));
        Assert.Equal("sent", Sent((await alerts.Feed(new AlertFeedQuery(BudgetId: "b"))).Items.Single().Deliveries.Single()));

        TestClock.Advance(TimeSpan.FromMinutes(45)); // the first send has left the hour
        await alerts.Raise(Trigger("a", "t5", 0.4m));
        Assert.Equal("sent", Sent((await alerts.Feed(new AlertFeedQuery(BudgetId: "a", Limit: 1))).Items.Single().Deliveries.Single()));
    }

    // Pending or already delivered (an in-app channel is delivered at once): either way not held back.
    private static string Sent(AlertDeliveryView delivery) => delivery.Status == "suppressed" ? "suppressed" : "sent";

    [Fact]
    public async Task A_budget_without_an_alert_policy_records_the_fact_but_raises_no_alert()
    {
        var (tenant, alerts) = await TenantWithChannels();
        await tenant.PutBudget("quiet", new Limits(10m, null, null));

        await alerts.Raise(Trigger("quiet", "threshold|1", 1m));

        Assert.Empty((await alerts.Feed(new AlertFeedQuery())).Items);
        var trail = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, BudgetId: "quiet", Type: AuditEventTypes.ThresholdCrossed));
        Assert.Single(trail.Items);
    }

    private async Task<(TestTenant Tenant, IAlertsGrain Alerts)> TenantWithChannels(params string[] channels)
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var alerts = fixture.Client.GetGrain<IAlertsGrain>(tenant.Id);
        foreach (var channel in channels)
        {
            await alerts.PutChannel(channel, "in-app", null, []);
        }

        return (tenant, alerts);
    }

    private static async Task PutBudget(TestTenant tenant, AlertPolicy policy, string id = "team") =>
        await tenant.Grain.PutBudget(new BudgetDefinition(id, ImmutableSortedDictionary<string, string>.Empty,
            new PeriodSpec(PeriodType.Monthly, "UTC"), new Limits(100m, null, null), Thresholds.Default, EnforcementMode.Hard, null, policy));

    private static AlertTrigger Trigger(string budget, string fact, decimal threshold) =>
        new($"{budget}|{fact}", budget, AlertEventType.ThresholdCrossed, threshold, threshold, BudgetState.Ok, "cost",
            threshold * 100m, 100m, null, $"{budget} reached {threshold:P0} of its cost limit", TestClock.Now);

    private static async Task<AlertView> Alert(IAlertsGrain alerts, string id) =>
        (await alerts.Feed(new AlertFeedQuery(Limit: AlertFeedQuery.MaxLimit))).Items.Single(a => a.Id == id);
}
