using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;
using NodaTime;

namespace BudgetActors.Api.Tests;

/// <summary>PUT, GET, list and DELETE of budgets, and the status they report.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class BudgetTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Creating_a_budget_is_201_with_the_definition_its_defaults_and_a_fresh_status()
    {
        var tenant = await host.NewTenantAsync("budget");

        var response = await _api.PutAsync(tenant.Path("/budgets/alice-monthly"), tenant.TenantAdminKey,
            """{ "scope": { "user": "alice" }, "period": { "type": "monthly", "timezone": "UTC" }, "limits": { "cost": 100.50 } }""");

        var budget = response.Expect(HttpStatusCode.Created);
        Assert.Equal(tenant.Path("/budgets/alice-monthly"), response.Headers.Location?.OriginalString);
        Assert.Equal("alice-monthly", budget.Str("id"));
        Assert.Equal("alice", budget.Str("scope.user"));
        Assert.Equal("monthly", budget.Str("period.type"));
        Assert.Equal("UTC", budget.Str("period.timezone"));
        Assert.Equal(100.50m, budget.Dec("limits.cost"));
        Assert.True(budget.IsNull("limits.tokens"));
        Assert.True(budget.IsNull("limits.operations"));
        Assert.Equal(0.75m, budget.Dec("thresholds.warn"));
        Assert.Equal(0.90m, budget.Dec("thresholds.throttle"));
        Assert.Equal(1.00m, budget.Dec("thresholds.block"));
        Assert.Equal("hard", budget.Str("enforcement.mode"));

        var status = budget.At("status");
        Assert.Equal("ok", status.Str("state"));
        Assert.Equal(100.50m, status.Dec("cost.limit"));
        Assert.Equal(0m, status.Dec("cost.spent"));
        Assert.Equal(0m, status.Dec("cost.reserved"));
        Assert.Equal(100.50m, status.Dec("cost.remaining"));
        Assert.Equal(0m, status.Dec("cost.utilization"));
        foreach (var unlimited in new[] { "tokens", "operations" })
        {
            // A metric without a limit is still reported, with limit (and what derives from it) null.
            Assert.True(status.IsNull($"{unlimited}.limit"));
            Assert.Equal(0m, status.Dec($"{unlimited}.spent"));
            Assert.Equal(0m, status.Dec($"{unlimited}.reserved"));
            Assert.True(status.IsNull($"{unlimited}.remaining"));
            Assert.True(status.IsNull($"{unlimited}.utilization"));
        }

        var start = status.Time("periodStart");
        Assert.Equal(new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(start.AddMonths(1), status.Time("periodEnd"));
    }

    [Fact]
    public async Task Get_returns_what_was_put_including_explicit_thresholds_and_soft_mode()
    {
        var tenant = await host.NewTenantAsync("budget");
        await tenant.CreateBudgetAsync("team", """
            {
              "scope": { "project": "apollo", "environment": "prod" },
              "period": { "type": "weekly", "timezone": "Asia/Tokyo" },
              "limits": { "cost": 12.345678, "tokens": 1000000, "operations": 10000 },
              "thresholds": { "warn": 0.5, "throttle": 0.8, "block": 1.2 },
              "enforcement": { "mode": "soft" }
            }
            """);

        var budget = await tenant.GetBudgetAsync("team");

        Assert.Equal("team", budget.Str("id"));
        Assert.Equal("apollo", budget.Str("scope.project"));
        Assert.Equal("prod", budget.Str("scope.environment"));
        Assert.Equal("weekly", budget.Str("period.type"));
        Assert.Equal("Asia/Tokyo", budget.Str("period.timezone"));
        Assert.Equal(12.345678m, budget.Dec("limits.cost"));
        Assert.Equal(1_000_000L, budget.Long("limits.tokens"));
        Assert.Equal(10_000L, budget.Long("limits.operations"));
        Assert.Equal(0.5m, budget.Dec("thresholds.warn"));
        Assert.Equal(0.8m, budget.Dec("thresholds.throttle"));
        Assert.Equal(1.2m, budget.Dec("thresholds.block"));
        Assert.Equal("soft", budget.Str("enforcement.mode"));
        Assert.Equal(12.345678m, budget.Dec("status.cost.limit"));
        Assert.Equal(1_000_000m, budget.Dec("status.tokens.limit"));
        Assert.Equal(10_000m, budget.Dec("status.operations.limit"));
    }

    [Theory]
    [InlineData("daily", "Europe/Paris")]
    [InlineData("weekly", "America/New_York")]
    [InlineData("monthly", "Australia/Sydney")]
    public async Task The_period_is_the_calendar_period_of_now_in_the_budget_time_zone(string type, string timezone)
    {
        var tenant = await host.NewTenantAsync("period");
        var before = DateTimeOffset.UtcNow;
        await tenant.CreateBudgetAsync("b", $$"""{ "period": { "type": "{{type}}", "timezone": "{{timezone}}" }, "limits": { "operations": 5 } }""");

        var status = (await tenant.GetBudgetAsync("b")).At("status");

        var zone = DateTimeZoneProviders.Tzdb[timezone];
        var start = Instant.FromDateTimeOffset(status.Time("periodStart")).InZone(zone).LocalDateTime;
        var end = Instant.FromDateTimeOffset(status.Time("periodEnd")).InZone(zone).LocalDateTime;
        Assert.Equal(LocalTime.Midnight, start.TimeOfDay);
        Assert.Equal(LocalTime.Midnight, end.TimeOfDay);
        var expectedEnd = type switch
        {
            "daily" => start.Date.PlusDays(1),
            "weekly" => start.Date.PlusWeeks(1),
            _ => start.Date.PlusMonths(1),
        };
        Assert.Equal(expectedEnd, end.Date);
        if (type == "weekly")
        {
            Assert.Equal(IsoDayOfWeek.Monday, start.DayOfWeek);
        }

        if (type == "monthly")
        {
            Assert.Equal(1, start.Day);
        }

        Assert.True(status.Time("periodStart") <= before, "the period must contain the moment the budget was made");
        Assert.True(status.Time("periodEnd") > DateTimeOffset.UtcNow, "the period must not be over yet");
    }

    [Fact]
    public async Task A_total_budget_has_no_period_end()
    {
        var tenant = await host.NewTenantAsync("period");
        await tenant.CreateBudgetAsync("lifetime", """{ "period": { "type": "total" }, "limits": { "cost": 5 } }""");

        var status = (await tenant.GetBudgetAsync("lifetime")).At("status");

        Assert.True(status.IsNull("periodEnd"));
        Assert.True(status.Time("periodStart") <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Replacing_a_budget_is_200_and_keeps_the_spend_of_the_period()
    {
        var tenant = await host.NewTenantAsync("replace");
        await tenant.CreateCostBudgetAsync("all", 10m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "actual": { "cost": 3.25, "tokens": 40 } }""");

        var response = await _api.PutAsync(tenant.Path("/budgets/all"), tenant.TenantAdminKey,
            """{ "period": { "type": "monthly" }, "limits": { "cost": 20, "tokens": 1000 } }""");

        var replaced = response.Expect(HttpStatusCode.OK);
        Assert.Equal(20m, replaced.Dec("limits.cost"));
        var status = (await tenant.GetBudgetAsync("all")).At("status");
        Assert.Equal(20m, status.Dec("cost.limit"));
        Assert.Equal(3.25m, status.Dec("cost.spent"));
        Assert.Equal(16.75m, status.Dec("cost.remaining"));
        Assert.Equal(0.1625m, status.Dec("cost.utilization"));
        Assert.Equal(1000m, status.Dec("tokens.limit"));
        Assert.Equal(40m, status.Dec("tokens.spent"));
        Assert.Equal(1m, status.Dec("operations.spent"));
    }

    [Fact]
    public async Task The_state_follows_the_thresholds_as_spend_grows()
    {
        var tenant = await host.NewTenantAsync("state");
        await tenant.CreateCostBudgetAsync("all", 100m);
        var steps = new (decimal Cost, string State, decimal Utilization)[]
        {
            (50m, "ok", 0.5m), (25m, "warning", 0.75m), (15m, "throttled", 0.9m), (10m, "blocked", 1m), (5m, "blocked", 1.05m),
        };

        for (var i = 0; i < steps.Length; i++)
        {
            var (cost, state, utilization) = steps[i];
            await tenant.RecordUsageAsync(Inv($$"""{ "idempotencyKey": "step-{{i}}", "actual": { "cost": {{cost}} } }"""));

            var status = (await tenant.GetBudgetAsync("all")).At("status");
            Assert.Equal(state, status.Str("state"));
            Assert.Equal(utilization, status.Dec("cost.utilization"));
            Assert.Equal(Math.Max(0m, 100m - status.Dec("cost.spent")), status.Dec("cost.remaining"));
        }
    }

    [Fact]
    public async Task The_list_has_every_budget_with_its_status()
    {
        var tenant = await host.NewTenantAsync("list");
        Assert.Empty((await _api.GetAsync(tenant.Path("/budgets"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));

        await tenant.CreateCostBudgetAsync("b-user", 10m, """{ "user": "bob" }""");
        await tenant.CreateCostBudgetAsync("a-all", 50m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u", "attributes": { "user": "bob" }, "actual": { "cost": 2 } }""");

        var list = (await _api.GetAsync(tenant.Path("/budgets"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        var items = list.Items("items");
        Assert.Equal(["a-all", "b-user"], items.Select(i => i.Str("id")));
        Assert.Equal(50m, items[0].Dec("limits.cost"));
        Assert.Equal(2m, items[0].Dec("status.cost.spent"));
        Assert.Equal("bob", items[1].Str("scope.user"));
        Assert.Equal(2m, items[1].Dec("status.cost.spent"));
    }

    [Fact]
    public async Task A_deleted_budget_is_gone_and_no_longer_applies_to_checks_or_spend()
    {
        var tenant = await host.NewTenantAsync("delete");
        await tenant.CreateCostBudgetAsync("tiny", 1m);
        await tenant.CreateCostBudgetAsync("big", 1000m);
        var blocked = await tenant.CheckAsync("""{ "estimate": { "cost": 5 } }""");
        Assert.Equal("block", blocked.Str("decision"));

        (await _api.DeleteAsync(tenant.Path("/budgets/tiny"), tenant.TenantAdminKey)).Expect(HttpStatusCode.NoContent);

        (await _api.GetAsync(tenant.Path("/budgets/tiny"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        var list = (await _api.GetAsync(tenant.Path("/budgets"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(["big"], list.Items("items").Select(i => i.Str("id")));

        var check = await tenant.CheckAsync("""{ "estimate": { "cost": 5 } }""");
        Assert.Equal("allow", check.Str("decision"));
        Assert.Empty(check.Strings("blockedBy"));
        Assert.Equal(["big"], check.BudgetIds());

        var reservation = await tenant.ReserveAsync("""{ "estimate": { "cost": 5 } }""");
        Assert.True(reservation.Bool("granted"));
        Assert.Equal(["big"], reservation.BudgetIds());

        (await _api.DeleteAsync(tenant.Path("/budgets/tiny"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_deleted_budget_can_be_created_again()
    {
        var tenant = await host.NewTenantAsync("delete");
        await tenant.CreateCostBudgetAsync("again", 10m);
        (await _api.DeleteAsync(tenant.Path("/budgets/again"), tenant.TenantAdminKey)).Expect(HttpStatusCode.NoContent);

        await tenant.CreateCostBudgetAsync("again", 20m);

        Assert.Equal(20m, (await tenant.GetBudgetAsync("again")).Dec("limits.cost"));
    }

    [Fact]
    public async Task An_unknown_budget_is_404_on_get_delete_and_history()
    {
        var tenant = await host.NewTenantAsync("unknown");

        (await _api.GetAsync(tenant.Path("/budgets/nope"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.DeleteAsync(tenant.Path("/budgets/nope"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(tenant.Path("/budgets/nope/history"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Budgets_of_an_unknown_tenant_are_404()
    {
        var path = "/v1/tenants/ghost-" + Guid.NewGuid().ToString("N")[..8];

        (await _api.PutAsync(path + "/budgets/b", host.AdminKey, """{ "period": { "type": "daily" }, "limits": { "cost": 1 } }"""))
            .ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(path + "/budgets", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(path + "/budgets/b", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task History_of_a_budget_in_its_first_period_is_empty()
    {
        var tenant = await host.NewTenantAsync("history");
        await tenant.CreateCostBudgetAsync("all", 10m);

        var history = (await _api.GetAsync(tenant.Path("/budgets/all/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Empty(history.Items("items"));
    }

    [Fact]
    public async Task Changing_the_period_type_files_the_spend_so_far_as_a_closed_period()
    {
        var tenant = await host.NewTenantAsync("history");
        var created = await tenant.CreateCostBudgetAsync("all", 10m);
        var monthStart = created.Time("status.periodStart");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "actual": { "cost": 3.5, "tokens": 7 } }""");

        (await _api.PutAsync(tenant.Path("/budgets/all"), tenant.TenantAdminKey, """{ "period": { "type": "total" }, "limits": { "cost": 10 } }"""))
            .Expect(HttpStatusCode.OK);

        var items = (await _api.GetAsync(tenant.Path("/budgets/all/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items");
        var closed = Assert.Single(items);
        Assert.Equal(monthStart, closed.Time("periodStart"));
        Assert.True(closed.Time("periodEnd") > monthStart);
        Assert.Equal(3.5m, closed.Dec("spent.cost"));
        Assert.Equal(7L, closed.Long("spent.tokens"));
        Assert.Equal(10m, closed.Dec("limits.cost"));
        Assert.Equal("ok", closed.Str("state"));
        Assert.Equal(0m, (await tenant.UseOfAsync("all")).CostSpent);
    }

    [Fact]
    public async Task Deleting_a_budget_keeps_its_history_with_the_spend_of_the_last_period()
    {
        var tenant = await host.NewTenantAsync("history");
        var created = await tenant.CreateCostBudgetAsync("old", 10m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "actual": { "cost": 2 } }""");

        (await _api.DeleteAsync(tenant.Path("/budgets/old"), tenant.TenantAdminKey)).Expect(HttpStatusCode.NoContent);

        var items = (await _api.GetAsync(tenant.Path("/budgets/old/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items");
        var last = Assert.Single(items);
        Assert.Equal(created.Time("status.periodStart"), last.Time("periodStart"));
        Assert.Equal(2m, last.Dec("spent.cost"));
        Assert.Equal(10m, last.Dec("limits.cost"));
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
