using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>POST /v1/tenants/{tenant}/usage: spend without a reservation, counted once per idempotency key.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class UsageTests(ApiHostFixture host)
{
    [Fact]
    public async Task Usage_is_charged_to_every_applicable_budget()
    {
        var tenant = await host.NewTenantAsync("usage");
        await tenant.CreateCostBudgetAsync("tenant-wide", 100m);
        await tenant.CreateCostBudgetAsync("alice", 10m, """{ "user": "alice" }""");
        await tenant.CreateCostBudgetAsync("bob", 10m, """{ "user": "bob" }""");

        var usage = await tenant.RecordUsageAsync(
            """{ "idempotencyKey": "call-1", "attributes": { "user": "alice" }, "actual": { "cost": 0.000001, "tokens": 12, "operations": 3 } }""");

        Assert.False(usage.Bool("duplicate"));
        Assert.Equal(0.000001m, usage.Dec("charged.cost"));
        Assert.Equal(12L, usage.Long("charged.tokens"));
        Assert.Equal(3L, usage.Long("charged.operations"));
        Assert.Equal(["alice", "tenant-wide"], usage.BudgetIds().Order(StringComparer.Ordinal));
        Assert.Equal(new BudgetUse(0.000001m, 0, 12, 0, 3, 0), await tenant.UseOfAsync("alice"));
        Assert.Equal(new BudgetUse(0.000001m, 0, 12, 0, 3, 0), await tenant.UseOfAsync("tenant-wide"));
        Assert.Equal(new BudgetUse(0, 0, 0, 0, 0, 0), await tenant.UseOfAsync("bob"));
    }

    [Fact]
    public async Task The_same_key_again_is_a_duplicate_counted_once()
    {
        var tenant = await host.NewTenantAsync("usage");
        await tenant.CreateCostBudgetAsync("all", 100m);
        const string body = """{ "idempotencyKey": "call-7", "attributes": { "model": "gpt-4o" }, "actual": { "cost": 1.1, "tokens": 90 } }""";

        var first = await tenant.RecordUsageAsync(body);
        var second = await tenant.RecordUsageAsync(body);
        var third = await tenant.RecordUsageAsync(body);

        Assert.False(first.Bool("duplicate"));
        Assert.True(second.Bool("duplicate"));
        Assert.True(third.Bool("duplicate"));
        Assert.Equal(1.1m, second.Dec("charged.cost"));
        Assert.Equal(new BudgetUse(1.1m, 0, 90, 0, 1, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_409_and_changes_nothing()
    {
        var tenant = await host.NewTenantAsync("usage");
        await tenant.CreateCostBudgetAsync("all", 100m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "call-9", "actual": { "cost": 2 } }""");

        (await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey, """{ "idempotencyKey": "call-9", "actual": { "cost": 3 } }"""))
            .ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal(new BudgetUse(2, 0, 0, 0, 1, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task Different_keys_are_counted_separately()
    {
        var tenant = await host.NewTenantAsync("usage");
        await tenant.CreateCostBudgetAsync("all", 100m);

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "a", "actual": { "cost": 0.1 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "b", "actual": { "cost": 0.2 } }""");

        Assert.Equal(0.3m, (await tenant.UseOfAsync("all")).CostSpent); // exact decimal: 0.1 + 0.2 is 0.3
    }

    [Fact]
    public async Task Usage_is_recorded_even_past_a_hard_limit()
    {
        var tenant = await host.NewTenantAsync("usage");
        await tenant.CreateCostBudgetAsync("all", 1m);

        var usage = await tenant.RecordUsageAsync("""{ "idempotencyKey": "late", "actual": { "cost": 5 } }""");

        Assert.Equal("blocked", usage.Budget("all").Str("state"));
        Assert.Equal(5m, (await tenant.UseOfAsync("all")).CostSpent);
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_one_tenant()
    {
        var a = await host.NewTenantAsync("usage-a");
        var b = await host.NewTenantAsync("usage-b");
        await a.CreateCostBudgetAsync("all", 100m);
        await b.CreateCostBudgetAsync("all", 100m);
        const string body = """{ "idempotencyKey": "shared-key", "actual": { "cost": 4 } }""";

        Assert.False((await a.RecordUsageAsync(body)).Bool("duplicate"));
        Assert.False((await b.RecordUsageAsync(body)).Bool("duplicate"));

        Assert.Equal(4m, (await a.UseOfAsync("all")).CostSpent);
        Assert.Equal(4m, (await b.UseOfAsync("all")).CostSpent);
    }

    [Fact]
    public async Task Money_and_counts_at_the_top_of_their_range_are_kept_exactly()
    {
        var tenant = await host.NewTenantAsync("exact");
        await tenant.CreateBudgetAsync("all", """{ "period": { "type": "total" }, "limits": { "cost": 1000000000000, "tokens": 1000000000000000 } }""");

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "big", "actual": { "cost": 999999999999.999999, "tokens": 999999999999999 } }""");
        var status = (await tenant.GetBudgetAsync("all")).At("status");
        Assert.Equal(999999999999.999999m, status.Dec("cost.spent")); // a double would have lost the micro-units
        Assert.Equal(0.000001m, status.Dec("cost.remaining"));
        Assert.Equal(999_999_999_999_999L, status.Long("tokens.spent"));

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "last", "actual": { "cost": 0.000001, "tokens": 1 } }""");
        var full = (await tenant.GetBudgetAsync("all")).At("status");
        Assert.Equal(1_000_000_000_000m, full.Dec("cost.spent"));
        Assert.Equal(1_000_000_000_000_000L, full.Long("tokens.spent"));
        Assert.Equal("blocked", full.Str("state"));
    }

    [Fact]
    public async Task A_timestamp_is_accepted_and_is_part_of_the_body_an_idempotency_key_stands_for()
    {
        var tenant = await host.NewTenantAsync("usage");
        await tenant.CreateCostBudgetAsync("all", 100m);

        var usage = await tenant.RecordUsageAsync("""{ "idempotencyKey": "t1", "actual": { "cost": 1 }, "timestamp": "2026-01-02T03:04:05Z" }""");
        Assert.False(usage.Bool("duplicate"));

        (await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
                """{ "idempotencyKey": "t1", "actual": { "cost": 1 }, "timestamp": "2026-01-02T03:04:06Z" }"""))
            .ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(1m, (await tenant.UseOfAsync("all")).CostSpent);
    }
}
