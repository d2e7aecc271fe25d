using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>POST /v1/tenants/{tenant}/check: the decision over every applicable budget; it holds nothing.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class CheckTests(ApiHostFixture host)
{
    [Fact]
    public async Task An_affordable_request_is_allowed_with_its_estimate_and_the_budgets_that_apply()
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateCostBudgetAsync("all", 100m);

        var check = await tenant.CheckAsync("""{ "attributes": { "user": "alice" }, "estimate": { "cost": 1.234567, "tokens": 1500 }, "priority": 0 }""");

        Assert.Equal("allow", check.Str("decision"));
        Assert.Empty(check.Strings("blockedBy"));
        Assert.Equal(1.234567m, check.Dec("estimate.cost"));
        Assert.Equal(1500L, check.Long("estimate.tokens"));
        Assert.Equal(1L, check.Long("estimate.operations")); // operations default to 1
        var budget = check.Budget("all");
        Assert.Equal("ok", budget.Str("state"));
        Assert.Equal(100m, budget.Dec("cost.limit"));
        Assert.Equal(0m, budget.Dec("cost.spent"));
        Assert.True(budget.IsNull("tokens.limit"));
        Assert.True(budget.Time("periodEnd") > DateTimeOffset.UtcNow);
        Assert.False(check.TryGetProperty("throttleFactor", out _));
    }

    [Fact]
    public async Task A_check_holds_nothing()
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateCostBudgetAsync("all", 10m);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("allow", (await tenant.CheckAsync("""{ "estimate": { "cost": 6 } }""")).Str("decision"));
        }

        Assert.Equal(new BudgetUse(0, 0, 0, 0, 0, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task A_request_past_the_limit_is_blocked_by_that_budget()
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateCostBudgetAsync("all", 10m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "spent", "actual": { "cost": 8 } }""");

        var check = await tenant.CheckAsync("""{ "estimate": { "cost": 2.000001 } }""");

        Assert.Equal("block", check.Str("decision"));
        Assert.Equal(["all"], check.Strings("blockedBy"));
        Assert.Equal(8m, check.Budget("all").Dec("cost.spent"));

        // Exactly up to the limit is still admitted (past the warn and throttle thresholds, so throttled).
        var exact = await tenant.CheckAsync("""{ "estimate": { "cost": 2 } }""");
        Assert.Equal("throttle", exact.Str("decision"));
        Assert.Equal(0m, exact.Dec("throttleFactor"));
        Assert.Empty(exact.Strings("blockedBy"));
    }

    [Fact]
    public async Task The_decision_is_the_most_restrictive_over_nested_budgets_and_names_the_one_that_blocks()
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateCostBudgetAsync("tenant-wide", 1000m);
        await tenant.CreateCostBudgetAsync("alice", 10m, """{ "user": "alice" }""");
        await tenant.CreateCostBudgetAsync("alice-gpt4o", 100m, """{ "user": "alice", "model": "gpt-4o" }""");

        var alice = await tenant.CheckAsync("""{ "attributes": { "user": "alice", "model": "gpt-4o" }, "estimate": { "cost": 50 } }""");
        Assert.Equal("block", alice.Str("decision"));
        Assert.Equal(["alice"], alice.Strings("blockedBy"));
        Assert.Equal(["alice", "alice-gpt4o", "tenant-wide"], alice.BudgetIds().Order(StringComparer.Ordinal));

        var bob = await tenant.CheckAsync("""{ "attributes": { "user": "bob", "model": "gpt-4o" }, "estimate": { "cost": 50 } }""");
        Assert.Equal("allow", bob.Str("decision"));
        Assert.Equal(["tenant-wide"], bob.BudgetIds());
    }

    [Fact]
    public async Task A_scope_value_ending_in_a_star_matches_by_prefix()
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateCostBudgetAsync("gpt", 1m, """{ "model": "gpt-*" }""");

        var gpt = await tenant.CheckAsync("""{ "attributes": { "model": "gpt-4o-mini" }, "estimate": { "cost": 2 } }""");
        var claude = await tenant.CheckAsync("""{ "attributes": { "model": "claude-3" }, "estimate": { "cost": 2 } }""");

        Assert.Equal(["gpt"], gpt.Strings("blockedBy"));
        Assert.Empty(claude.BudgetIds());
        Assert.Equal("allow", claude.Str("decision"));
    }

    [Theory]
    [InlineData(70, "allow")]
    [InlineData(75, "warn")]
    [InlineData(95, "throttle")]
    public async Task The_decision_follows_the_thresholds(int cost, string decision)
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateCostBudgetAsync("all", 100m);

        var check = await tenant.CheckAsync($$"""{ "estimate": { "cost": {{cost}} } }""");

        Assert.Equal(decision, check.Str("decision"));
        if (decision == "throttle")
        {
            Assert.Equal(0.5m, check.Dec("throttleFactor")); // halfway from throttle (0.90) to block (1.00)
        }
    }

    [Fact]
    public async Task A_soft_budget_never_blocks()
    {
        var tenant = await host.NewTenantAsync("check");
        await tenant.CreateBudgetAsync("soft", """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "enforcement": { "mode": "soft" } }""");

        var check = await tenant.CheckAsync("""{ "estimate": { "cost": 50 } }""");

        Assert.Equal("warn", check.Str("decision"));
        Assert.Empty(check.Strings("blockedBy"));
        Assert.True((await tenant.ReserveAsync("""{ "estimate": { "cost": 50 } }""")).Bool("granted"));
    }

    [Fact]
    public async Task A_check_with_no_applicable_budget_is_allowed()
    {
        var tenant = await host.NewTenantAsync("check");

        var check = await tenant.CheckAsync("""{ "estimate": { "cost": 1000000 } }""");

        Assert.Equal("allow", check.Str("decision"));
        Assert.Empty(check.BudgetIds());
    }

    [Fact]
    public async Task A_check_for_an_unknown_tenant_is_404()
    {
        (await host.Api.PostAsync("/v1/tenants/ghost-" + Guid.NewGuid().ToString("N")[..8] + "/check", host.AdminKey, """{ "estimate": { "cost": 1 } }"""))
            .ExpectProblem(HttpStatusCode.NotFound);
    }
}
