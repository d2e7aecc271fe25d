using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>GET /v1/tenants/{tenant}/summary and /v1/tenants/{tenant}/users/{user}/summary.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class SummaryTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    private async Task<TestTenant> TenantWithSpendAsync()
    {
        var tenant = await host.NewTenantAsync("summary");
        await tenant.CreateCostBudgetAsync("tenant-wide", 1000m);
        await tenant.CreateCostBudgetAsync("alice", 10m, """{ "user": "alice" }""");
        await tenant.CreateCostBudgetAsync("alice-gpt", 100m, """{ "user": "alice", "model": "gpt-*" }""");
        await tenant.CreateCostBudgetAsync("bob", 10m, """{ "user": "bob" }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "a1", "attributes": { "user": "alice", "model": "gpt-4o" }, "actual": { "cost": 10 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "b1", "attributes": { "user": "bob" }, "actual": { "cost": 8 } }""");
        return tenant;
    }

    [Fact]
    public async Task The_tenant_summary_rolls_up_every_budget_with_the_worst_state()
    {
        var tenant = await TenantWithSpendAsync();

        var summary = (await _api.GetAsync(tenant.Path("/summary"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(tenant.Id, summary.Str("tenant"));
        Assert.Equal("blocked", summary.Str("state"));
        Assert.Equal(["alice"], summary.Strings("blockedBy"));
        Assert.Equal(["alice", "alice-gpt", "bob", "tenant-wide"], summary.BudgetIds().Order(StringComparer.Ordinal));
        Assert.Equal(18m, summary.Budget("tenant-wide").Dec("cost.spent"));
        Assert.Equal("warning", summary.Budget("bob").Str("state"));
        Assert.Equal(10m, summary.Budget("alice-gpt").Dec("cost.spent"));
    }

    [Fact]
    public async Task The_allocation_check_sums_the_limits_nested_directly_inside_each_budget()
    {
        var tenant = await TenantWithSpendAsync();
        await tenant.CreateCostBudgetAsync("carol", 995m, """{ "user": "carol" }""");

        var summary = (await _api.GetAsync(tenant.Path("/summary"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        var alice = (await _api.GetAsync(tenant.Path("/users/alice/summary"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        var lines = summary.Items("allocation");
        Assert.Equal(["alice", "tenant-wide"], lines.Select(l => l.Str("budget")));
        var tenantWide = lines[1];
        Assert.Equal(["alice", "bob", "carol"], tenantWide.Strings("nested")); // alice-gpt is inside alice: not counted twice
        Assert.Equal((1000m, 1015m), (tenantWide.Dec("limits.cost"), tenantWide.Dec("allocated.cost")));
        Assert.True(tenantWide.GetProperty("overAllocated").GetBoolean());
        Assert.Equal(["alice-gpt"], lines[0].Strings("nested"));
        Assert.Equal(100m, lines[0].Dec("allocated.cost"));
        Assert.True(lines[0].GetProperty("overAllocated").GetBoolean()); // 100 inside a budget of 10
        Assert.Equal(["alice"], alice.Items("allocation").Select(l => l.Str("budget")));
    }

    [Fact]
    public async Task A_user_summary_has_only_the_budgets_scoped_to_that_user()
    {
        var tenant = await TenantWithSpendAsync();

        var alice = (await _api.GetAsync(tenant.Path("/users/alice/summary"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        var bob = (await _api.GetAsync(tenant.Path("/users/bob/summary"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(tenant.Id, alice.Str("tenant"));
        Assert.Equal("alice", alice.Str("user"));
        Assert.Equal("blocked", alice.Str("state"));
        Assert.Equal(["alice"], alice.Strings("blockedBy"));
        Assert.Equal(["alice", "alice-gpt"], alice.BudgetIds().Order(StringComparer.Ordinal));
        Assert.Equal(10m, alice.Budget("alice").Dec("cost.spent"));

        Assert.Equal("warning", bob.Str("state"));
        Assert.Empty(bob.Strings("blockedBy"));
        Assert.Equal(["bob"], bob.BudgetIds());
        Assert.Equal(8m, bob.Budget("bob").Dec("cost.spent"));
    }

    [Fact]
    public async Task A_user_without_budgets_has_an_empty_ok_summary()
    {
        var tenant = await TenantWithSpendAsync();

        var carol = (await _api.GetAsync(tenant.Path("/users/carol/summary"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal("carol", carol.Str("user"));
        Assert.Equal("ok", carol.Str("state"));
        Assert.Empty(carol.BudgetIds());
    }

    [Fact]
    public async Task Summaries_of_an_unknown_tenant_are_404()
    {
        var path = "/v1/tenants/ghost-" + Guid.NewGuid().ToString("N")[..8];

        (await _api.GetAsync(path + "/summary", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(path + "/users/alice/summary", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_summary_for_an_invalid_user_is_400()
    {
        var tenant = await host.NewTenantAsync("summary");

        (await _api.GetAsync(tenant.Path("/users/al!ce/summary"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.BadRequest);
        (await _api.GetAsync(tenant.Path($"/users/{new string('u', 257)}/summary"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.BadRequest);
    }
}
