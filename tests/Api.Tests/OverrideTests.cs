using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Overrides: requested by one key, approved or rejected by another tenant-admin key, listed, and in the trail.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class OverrideTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task An_approved_override_raises_the_limits_at_once_and_the_trail_says_who_did_what()
    {
        var tenant = await host.NewTenantAsync("ovr");
        await tenant.CreateCostBudgetAsync("team", 10);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": {}, "actual": { "cost": 9 } }""");
        Assert.Equal("block", (await tenant.CheckAsync("""{ "estimate": { "cost": 5 } }""")).Str("decision"));

        var requested = (await _api.PostAsync(tenant.Path("/budgets/team/overrides"), tenant.ServiceKey,
            """{ "raise": { "cost": 50 }, "reason": "launch day", "durationMinutes": 1440 }""")).Expect(HttpStatusCode.Created);
        Assert.Equal("pending", requested.Str("state"));
        Assert.Equal(50m, requested.Dec("raise.cost"));
        Assert.Equal("launch day", requested.Str("reason"));
        Assert.True(requested.IsNull("expiresAt"));
        var id = requested.Str("id");
        Assert.Equal("block", (await tenant.CheckAsync("""{ "estimate": { "cost": 5 } }""")).Str("decision")); // pending changes nothing

        var approved = (await _api.PostAsync(tenant.Path($"/budgets/team/overrides/{id}/approve"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("approved", approved.Str("state"));
        var expiresAt = approved.Time("expiresAt");
        Assert.InRange(expiresAt - approved.Time("decidedAt"), TimeSpan.FromMinutes(1440), TimeSpan.FromMinutes(1440));

        // The very next check sees the raised limit: 9 spent of 60.
        var check = await tenant.CheckAsync("""{ "estimate": { "cost": 5 } }""");
        Assert.Equal("allow", check.Str("decision"));
        Assert.Equal(60m, check.Dec("budgets[0].cost.limit"));

        var listed = (await _api.GetAsync(tenant.Path("/budgets/team/overrides?state=approved"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.Equal([id], listed.Items("items").Select(o => o.Str("id")));
        Assert.Empty((await _api.GetAsync(tenant.Path("/budgets/team/overrides?state=pending"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));

        var trail = (await _api.GetAsync(tenant.Path("/events?budget=team&type=override.approved"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items");
        var requestedBy = requested.Str("requestedBy");
        Assert.Equal(requestedBy, approved.Str("requestedBy"));
        Assert.NotEqual(requestedBy, trail.Single().Str("actor"));
        Assert.Equal(approved.Str("decidedBy"), trail.Single().Str("actor"));
        Assert.Equal(id, trail.Single().Str("data.overrideId"));
        Assert.Single((await _api.GetAsync(tenant.Path("/events?type=override.requested"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items"));
    }

    [Fact]
    public async Task A_key_cannot_approve_its_own_request_and_a_decided_override_cannot_be_decided_again()
    {
        var tenant = await host.NewTenantAsync("ovr-own");
        await tenant.CreateCostBudgetAsync("team", 10);
        var id = (await _api.PostAsync(tenant.Path("/budgets/team/overrides"), tenant.TenantAdminKey,
            """{ "raise": { "cost": 5 }, "reason": "mine" }""")).Expect(HttpStatusCode.Created).Str("id");

        (await _api.PostAsync(tenant.Path($"/budgets/team/overrides/{id}/approve"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.PostAsync(tenant.Path($"/budgets/team/overrides/{id}/approve"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);
        var other = await host.NewTenantAsync("ovr-other");
        (await _api.PostAsync(tenant.Path($"/budgets/team/overrides/{id}/approve"), other.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.GetAsync(tenant.Path("/budgets/team/overrides"), other.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);

        var rejected = (await _api.PostAsync(tenant.Path($"/budgets/team/overrides/{id}/reject"), host.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.Str("state"));
        Assert.Equal("admin", rejected.Str("decidedBy"));
        (await _api.PostAsync(tenant.Path($"/budgets/team/overrides/{id}/approve"), host.AdminKey)).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(10m, (await tenant.GetBudgetAsync("team")).Dec("status.cost.limit"));
    }

    [Theory]
    [InlineData("""{ "reason": "no raise" }""", "raise")]
    [InlineData("""{ "raise": {}, "reason": "nothing" }""", "raise")]
    [InlineData("""{ "raise": { "cost": -1 }, "reason": "negative" }""", "raise.cost")]
    [InlineData("""{ "raise": { "cost": 1 } }""", "reason")]
    [InlineData("""{ "raise": { "cost": 1 }, "reason": "  " }""", "reason")]
    [InlineData("""{ "raise": { "cost": 1 }, "reason": "x", "durationMinutes": 0 }""", "durationMinutes")]
    public async Task A_bad_request_is_a_400_naming_the_field_and_leaves_nothing_behind(string body, string field)
    {
        var tenant = await host.NewTenantAsync("ovr-bad");
        await tenant.CreateCostBudgetAsync("team", 10);
        (await _api.PostAsync(tenant.Path("/budgets/team/overrides"), tenant.ServiceKey, body)).ExpectInvalid(field);
        Assert.Empty((await _api.GetAsync(tenant.Path("/budgets/team/overrides"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
    }

    [Fact]
    public async Task Unknown_budgets_and_overrides_are_404()
    {
        var tenant = await host.NewTenantAsync("ovr-404");
        await tenant.CreateCostBudgetAsync("team", 10);
        (await _api.PostAsync(tenant.Path("/budgets/nope/overrides"), tenant.ServiceKey, """{ "raise": { "cost": 1 }, "reason": "x" }"""))
            .ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(tenant.Path("/budgets/nope/overrides"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.PostAsync(tenant.Path("/budgets/team/overrides/ovr-nope/approve"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_total_budget_needs_a_duration()
    {
        var tenant = await host.NewTenantAsync("ovr-total");
        await tenant.CreateBudgetAsync("forever", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 10 } }""");
        (await _api.PostAsync(tenant.Path("/budgets/forever/overrides"), tenant.ServiceKey, """{ "raise": { "cost": 1 }, "reason": "x" }"""))
            .ExpectInvalid("durationMinutes");
    }
}
