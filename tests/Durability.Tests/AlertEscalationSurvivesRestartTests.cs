using System.Net;
using System.Text.Json.Nodes;
using BudgetActors.Durability.Tests.Infrastructure;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// Escalation is driven by a stored reminder, the alert by stored grain state and the outbox by a
/// table: an alert raised before every silo is killed still escalates, once, after they come back.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class AlertEscalationSurvivesRestartTests(DurableClusterFixture fixture)
{
    [Fact]
    public async Task An_alert_raised_before_every_silo_was_killed_escalates_after_they_come_back()
    {
        var cluster = fixture.Cluster;
        var tenant = await fixture.NewTenantAsync("escalate");
        var admin = cluster.AdminKey;
        await cluster.Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, $"/v1/tenants/{tenant.Id}/channels/feed", admin, """{ "type": "in-app" }""");
        await cluster.Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, $"/v1/tenants/{tenant.Id}/channels/oncall", admin, """{ "type": "in-app" }""");
        await tenant.PutBudgetAsync("team", """
            { "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 100 },
              "alerts": { "channels": ["feed"], "escalation": { "afterMinutes": 1, "channels": ["oncall"] } } }
            """);
        await cluster.Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/v1/tenants/{tenant.Id}/budgets/team/overrides", tenant.ServiceKey,
            """{ "raise": { "cost": 10 }, "reason": "an alert to escalate", "durationMinutes": 60 }""");
        var raised = await Eventually.SucceedsAsync(async () => await SingleAlertAsync(tenant) ?? throw new InvalidOperationException("no alert yet"),
            TimeSpan.FromSeconds(20), "the override's alert is in the feed");
        Assert.Null(raised["escalatedAt"]);

        await cluster.KillAllSilosAsync();
        await cluster.StartKilledSilosAsync();
        await cluster.WaitUntilServingAsync();

        await Eventually.HoldsAsync(async () => await SingleAlertAsync(tenant) is { } alert && alert["escalatedAt"] is not null,
            TimeSpan.FromMinutes(3), "the alert escalates a minute after it was raised, though every silo died meanwhile", cluster.Diagnostics);

        var escalated = (await SingleAlertAsync(tenant))!;
        Assert.Equal(raised["id"]!.GetValue<string>(), escalated["id"]!.GetValue<string>());
        Assert.Contains(escalated["deliveries"]!.AsArray(), d => d!["channel"]!.GetValue<string>() == "oncall" && d["purpose"]!.GetValue<string>() == "escalation");
        var events = await cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/tenants/{tenant.Id}/events?type=alert.escalated", admin);
        Assert.Single(events["items"]!.AsArray());

        // The trail written before the kill is all there, in order, in PostgreSQL.
        var trail = await cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/tenants/{tenant.Id}/events?budget=team", admin);
        var types = trail["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["budget.created", "override.requested", "alert.raised"], types.Take(3));
        Assert.Contains("alert.escalated", types);
    }

    private async Task<JsonNode?> SingleAlertAsync(TestTenant tenant)
    {
        var feed = await fixture.Cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/tenants/{tenant.Id}/alerts", tenant.ServiceKey);
        return feed["items"]!.AsArray().SingleOrDefault();
    }
}
