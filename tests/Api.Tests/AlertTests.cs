using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;
using BudgetActors.TestSupport;

namespace BudgetActors.Api.Tests;

/// <summary>Alert channels and the alert feed over HTTP, with deliveries to a real receiver on this machine.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class AlertTests(ApiHostFixture host) : IAsyncLifetime
{
    private readonly ApiClient _api = host.Api;
    private HttpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_webhook_channel_shows_its_secret_once_and_keeps_it()
    {
        var tenant = await host.NewTenantAsync("chan");
        var created = (await _api.PutAsync(tenant.Path("/channels/ops-hook"), tenant.TenantAdminKey,
            $$"""{ "type": "webhook", "url": "{{_receiver.Url("/hook")}}" }""")).Expect(HttpStatusCode.Created);
        var secret = created.Str("secret");
        Assert.StartsWith("whsec_", secret);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);

        var saved = (await _api.PutAsync(tenant.Path("/channels/ops-hook"), tenant.TenantAdminKey,
            $$"""{ "type": "webhook", "url": "{{_receiver.Url("/hook2")}}" }""")).Expect(HttpStatusCode.OK);
        Assert.False(saved.TryGetProperty("secret", out _));
        var read = (await _api.GetAsync(tenant.Path("/channels/ops-hook"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(("webhook", _receiver.Url("/hook2")), (read.Str("type"), read.Str("url")));
        Assert.False(read.TryGetProperty("secret", out _));

        // The kept secret still signs: the test message verifies with the secret shown at creation.
        var test = (await _api.PostAsync(tenant.Path("/channels/ops-hook/test"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("delivered", test.Str("status"));
        var received = _receiver.On("/hook2").Single();
        AssertSigned(received, secret);
        Assert.Equal(test.Str("messageId"), received.Header("webhook-id"));
        Assert.Equal("budget.test", JsonDocument.Parse(received.Body).RootElement.Str("type"));

        (await _api.PutAsync(tenant.Path("/channels/mail"), tenant.TenantAdminKey, """{ "type": "email", "to": ["ops@acme.test"] }""")).Expect(HttpStatusCode.Created);
        var list = (await _api.GetAsync(tenant.Path("/channels"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(["mail", "ops-hook"], list.Items("items").Select(c => c.Str("id")));
        (await _api.DeleteAsync(tenant.Path("/channels/mail"), tenant.TenantAdminKey)).Expect(HttpStatusCode.NoContent);
        (await _api.GetAsync(tenant.Path("/channels/mail"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(tenant.Path("/channels"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("""{ "type": "pager" }""", "type")]
    [InlineData("""{ "type": "webhook" }""", "url")]
    [InlineData("""{ "type": "webhook", "url": "ftp://example.com/x" }""", "url")]
    [InlineData("""{ "type": "email", "to": [] }""", "to")]
    [InlineData("""{ "type": "email", "to": ["not an address"] }""", "to")]
    public async Task A_bad_channel_is_a_400_naming_the_field(string body, string field)
    {
        var tenant = await host.NewTenantAsync("chan-bad");
        (await _api.PutAsync(tenant.Path("/channels/c1"), tenant.TenantAdminKey, body)).ExpectInvalid(field);
        (await _api.GetAsync(tenant.Path("/channels/c1"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_budget_may_only_name_channels_that_exist()
    {
        var tenant = await host.NewTenantAsync("chan-ref");
        (await _api.PutAsync(tenant.Path("/budgets/b"), tenant.TenantAdminKey,
            """{ "scope": {}, "period": { "type": "daily" }, "limits": { "cost": 10 }, "alerts": { "channels": ["nope"], "escalation": { "afterMinutes": 5, "channels": ["nada"] } } }"""))
            .ExpectInvalid("alerts.channels[0]", "alerts.escalation.channels[0]");
        (await _api.GetAsync(tenant.Path("/budgets/b"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_override_alert_is_delivered_signed_shows_in_the_feed_and_is_acknowledged()
    {
        var tenant = await host.NewTenantAsync("alerts");
        var secret = (await _api.PutAsync(tenant.Path("/channels/hook"), tenant.TenantAdminKey,
            $$"""{ "type": "webhook", "url": "{{_receiver.Url("/alerts")}}" }""")).Expect(HttpStatusCode.Created).Str("secret");
        (await _api.PutAsync(tenant.Path("/budgets/team"), tenant.TenantAdminKey,
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 10 }, "alerts": { "channels": ["hook"], "cooldownMinutes": 0 } }"""))
            .Expect(HttpStatusCode.Created);

        var overrideId = (await _api.PostAsync(tenant.Path("/budgets/team/overrides"), tenant.ServiceKey,
            """{ "raise": { "cost": 5 }, "reason": "demo day", "durationMinutes": 60 }""")).Expect(HttpStatusCode.Created).Str("id");

        var received = await Eventually.Async(() => _receiver.On("/alerts").SingleOrDefault(), TimeSpan.FromSeconds(20), "the override alert reaches the webhook");
        AssertSigned(received, secret);
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("budget.override", body.Str("type"));
        Assert.Equal((tenant.Id, "team"), (body.Str("data.tenant"), body.Str("data.budgetId")));
        Assert.Contains(overrideId, body.Str("data.message"));

        var alert = await Eventually.Async(async () =>
        {
            var feed = (await _api.GetAsync(tenant.Path("/alerts?state=open"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items");
            return feed.SingleOrDefault(a => a.Str("deliveries[0].status") == "delivered") is { ValueKind: JsonValueKind.Object } a ? a : (JsonElement?)null;
        }, TimeSpan.FromSeconds(20), "the feed shows the delivery");
        Assert.Equal(body.Str("data.alertId"), alert.Str("id"));
        Assert.Equal(("hook", 1L), (alert.Str("deliveries[0].channel"), alert.Long("deliveries[0].attempts")));

        var acked = (await _api.PostAsync(tenant.Path($"/alerts/{alert.Str("id")}/ack"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.False(acked.IsNull("acknowledgedAt"));
        Assert.Empty((await _api.GetAsync(tenant.Path("/alerts?state=open"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
        Assert.Single((await _api.GetAsync(tenant.Path("/alerts?state=acknowledged"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
        (await _api.PostAsync(tenant.Path("/alerts/alt-nope/ack"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);

        var trail = (await _api.GetAsync(tenant.Path("/events?budget=team"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items").Select(e => e.Str("type")).ToList();
        Assert.Contains("alert.raised", trail);
        Assert.Contains("alert.delivered", trail);
        Assert.Contains("alert.acknowledged", trail);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_the_same_webhook_id_then_marked_failed()
    {
        var tenant = await host.NewTenantAsync("alerts-fail");
        _receiver.Respond = (_, _) => Task.FromResult((500, "down"));
        (await _api.PutAsync(tenant.Path("/channels/hook"), tenant.TenantAdminKey,
            $$"""{ "type": "webhook", "url": "{{_receiver.Url("/down")}}" }""")).Expect(HttpStatusCode.Created);
        (await _api.PutAsync(tenant.Path("/budgets/team"), tenant.TenantAdminKey,
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 10 }, "alerts": { "channels": ["hook"] } }""")).Expect(HttpStatusCode.Created);
        (await _api.PostAsync(tenant.Path("/budgets/team/overrides"), tenant.ServiceKey, """{ "raise": { "cost": 5 }, "reason": "x", "durationMinutes": 5 }"""))
            .Expect(HttpStatusCode.Created);

        // The test host tries 3 times.
        var alert = await Eventually.Async(async () =>
        {
            var feed = (await _api.GetAsync(tenant.Path("/alerts"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items");
            return feed.SingleOrDefault(a => a.Str("deliveries[0].status") == "failed") is { ValueKind: JsonValueKind.Object } a ? a : (JsonElement?)null;
        }, TimeSpan.FromSeconds(30), "the delivery is given up");
        Assert.Equal(3, alert.Long("deliveries[0].attempts"));
        Assert.Contains("500", alert.Str("deliveries[0].lastError"));
        var tries = _receiver.On("/down");
        Assert.Equal(3, tries.Count);
        Assert.Single(tries.Select(t => t.Header("webhook-id")).Distinct());
        Assert.Contains("alert.failed", (await _api.GetAsync(tenant.Path("/events?type=alert.failed"), tenant.TenantAdminKey))
            .Expect(HttpStatusCode.OK).Items("items").Select(e => e.Str("type")));
    }

    [Fact]
    public async Task Spend_crossing_thresholds_raises_one_alert_each_and_a_move_to_blocked_however_spend_hovers()
    {
        var tenant = await host.NewTenantAsync("alerts-spend");
        var secret = (await _api.PutAsync(tenant.Path("/channels/hook"), tenant.TenantAdminKey,
            $$"""{ "type": "webhook", "url": "{{_receiver.Url("/spend")}}" }""")).Expect(HttpStatusCode.Created).Str("secret");
        (await _api.PutAsync(tenant.Path("/budgets/alice-daily"), tenant.TenantAdminKey,
            """{ "scope": { "user": "alice" }, "period": { "type": "daily", "timezone": "Europe/Paris" }, "limits": { "cost": 10 }, "alerts": { "thresholds": [0.5, 0.9], "channels": ["hook"], "cooldownMinutes": 0 } }""")).Expect(HttpStatusCode.Created);

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "a1", "attributes": { "user": "alice" }, "actual": { "cost": 5.5 } }""");
        // Hovering around 50% with a hold that comes and goes raises nothing more.
        for (var i = 0; i < 3; i++)
        {
            var held = await tenant.ReserveAsync($$"""{ "idempotencyKey": "h{{i}}", "attributes": { "user": "alice" }, "estimate": { "cost": 1 } }""");
            await tenant.ReleaseAsync(held.Str("reservationId"));
        }

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "a2", "attributes": { "user": "alice" }, "actual": { "cost": 5 } }""");

        var bodies = await Eventually.Async(() =>
        {
            var received = _receiver.On("/spend");
            return received.Count >= 3 ? received : null;
        }, TimeSpan.FromSeconds(20), "three alerts reach the webhook");
        await Task.Delay(500); // nothing more comes
        var types = _receiver.On("/spend").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(_receiver.On("/spend"), r => AssertSigned(r, secret));
        Assert.Equal(3, types.Count);
        Assert.Equal([0.5m, 0.9m], types.Where(t => t.Str("type") == "budget.threshold_crossed").Select(t => t.Dec("data.threshold")).Order());
        var blocked = Assert.Single(types, t => t.Str("type") == "budget.state_changed");
        Assert.Equal("blocked", blocked.Str("data.state"));
        Assert.Equal(10m, blocked.Dec("data.limit"));
        Assert.Contains("alice-daily", blocked.Str("data.message"));
        Assert.False(string.IsNullOrEmpty(blocked.Str("data.periodEnd")));

        var trail = (await _api.GetAsync(tenant.Path("/events?budget=alice-daily"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK)
            .Items("items").Select(e => e.Str("type")).ToList();
        Assert.Equal(2, trail.Count(t => t == "threshold.crossed"));
        Assert.Contains("state.changed", trail);
    }

    [Fact]
    public async Task Emergency_room_is_taken_at_once_up_to_its_uses_a_period_and_alerts()
    {
        var tenant = await host.NewTenantAsync("emergency");
        (await _api.PutAsync(tenant.Path("/budgets/team"), tenant.TenantAdminKey,
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 10 }, "emergency": { "amount": { "cost": 5 }, "perPeriod": 1 } }"""))
            .Expect(HttpStatusCode.Created);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": {}, "actual": { "cost": 10 } }""");
        Assert.Equal("block", (await tenant.CheckAsync("""{ "estimate": { "cost": 3 } }""")).Str("decision"));

        var used = (await _api.PostAsync(tenant.Path("/budgets/team/emergency"), tenant.ServiceKey, """{ "reason": "customer demo" }"""))
            .Expect(HttpStatusCode.OK);
        Assert.Equal((5m, 0L, 15m), (used.Dec("added.cost"), used.Long("usesLeft"), used.Dec("budget.cost.limit")));
        Assert.Equal("warn", (await tenant.CheckAsync("""{ "estimate": { "cost": 3 } }""")).Str("decision")); // 13 of 15: admitted

        (await _api.PostAsync(tenant.Path("/budgets/team/emergency"), tenant.ServiceKey, """{ "reason": "again" }""")).ExpectProblem(HttpStatusCode.Conflict);
        (await _api.PostAsync(tenant.Path("/budgets/team/emergency"), tenant.ServiceKey, """{ }""")).ExpectInvalid("reason");
        (await _api.PostAsync(tenant.Path("/budgets/nope/emergency"), tenant.ServiceKey, """{ "reason": "x" }""")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(15m, (await tenant.GetBudgetAsync("team")).Dec("status.cost.limit"));

        var alert = await Eventually.Async(async () =>
            (await _api.GetAsync(tenant.Path("/alerts"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items")
                .FirstOrDefault(a => a.Str("type") == "budget.emergency") is { ValueKind: JsonValueKind.Object } a ? a : (JsonElement?)null,
            TimeSpan.FromSeconds(10), "the emergency alert is in the feed");
        Assert.Contains("customer demo", alert.Str("message"));
        var used1 = (await _api.GetAsync(tenant.Path("/events?type=emergency.used"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items");
        Assert.Equal("customer demo", Assert.Single(used1).Str("data.reason"));
    }

    /// <summary>Standard Webhooks: v1, base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the secret's bytes.</summary>
    private static void AssertSigned(ReceivedRequest request, string secret)
    {
        var id = request.Header("webhook-id");
        var timestamp = request.Header("webhook-timestamp");
        Assert.False(string.IsNullOrEmpty(id));
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        Assert.Contains(expected, request.Header("webhook-signature").Split(' '));
    }
}
