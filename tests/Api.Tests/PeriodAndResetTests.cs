using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Custom periods, rolling windows and manual resets over HTTP, against the real host.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class PeriodAndResetTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task A_reset_closes_the_period_into_history_marked_with_its_reason_and_the_rest_starts_from_zero()
    {
        var tenant = await host.NewTenantAsync("reset");
        await tenant.CreateBudgetAsync("team", """{ "period": { "type": "daily", "timezone": "Europe/Paris" }, "limits": { "cost": 10 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": {}, "actual": { "cost": 6 } }""");
        var held = await tenant.ReserveAsync("""{ "idempotencyKey": "r1", "attributes": {}, "estimate": { "cost": 3 } }""");
        Assert.True(held.Bool("granted"));
        var before = (await tenant.GetBudgetAsync("team")).At("status");

        var reset = (await _api.PostAsync(tenant.Path("/budgets/team/reset"), tenant.TenantAdminKey, """{ "reason": "invoice corrected" }"""))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(6m, reset.Dec("closed.spent.cost"));
        Assert.True(reset.Bool("closed.manualReset"));
        Assert.Equal("manual-reset", reset.Str("closed.closedBy"));
        Assert.Equal("invoice corrected", reset.Str("closed.reason"));
        Assert.Equal(before.Time("periodStart"), reset.Time("closed.periodStart"));
        Assert.Equal(reset.Time("closed.periodEnd"), reset.Time("status.periodStart"));
        Assert.Equal(before.Time("periodEnd"), reset.Time("status.periodEnd")); // still ends at midnight in Paris
        Assert.Equal((0m, 3m), (reset.Dec("status.cost.spent"), reset.Dec("status.cost.reserved"))); // the hold carries over

        var commit = await tenant.CommitAsync(held.Str("reservationId"), """{ "actual": { "cost": 2 } }""");
        Assert.Equal(2m, commit.Budget("team").Dec("cost.spent"));
        var history = (await _api.GetAsync(tenant.Path("/budgets/team/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items");
        var record = Assert.Single(history);
        Assert.Equal((6m, true, "invoice corrected"), (record.Dec("spent.cost"), record.Bool("manualReset"), record.Str("reason")));

        var events = (await _api.GetAsync(tenant.Path("/events?budget=team&type=budget.reset"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items");
        var logged = Assert.Single(events);
        Assert.Equal("invoice corrected", logged.Str("data.reason"));
        Assert.NotEqual("system", logged.Str("actor")); // the tenant-admin key that reset it
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "reason": "" }""")]
    [InlineData("""{ "reason": "   " }""")]
    [InlineData("""{ "reason": 5 }""")]
    public async Task A_reset_without_a_usable_reason_is_a_400_and_changes_nothing(string body)
    {
        var tenant = await host.NewTenantAsync("reset-bad");
        await tenant.CreateCostBudgetAsync("team", 10);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": {}, "actual": { "cost": 4 } }""");

        var problem = (await _api.PostAsync(tenant.Path("/budgets/team/reset"), tenant.TenantAdminKey, body)).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(400, problem.Long("status"));
        Assert.Equal(4m, (await tenant.UseOfAsync("team")).CostSpent);
        Assert.Empty((await _api.GetAsync(tenant.Path("/budgets/team/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
    }

    [Fact]
    public async Task Only_a_tenant_admin_of_the_tenant_may_reset_and_an_unknown_budget_is_a_404()
    {
        var tenant = await host.NewTenantAsync("reset-auth");
        await tenant.CreateCostBudgetAsync("team", 10);
        var other = await host.NewTenantAsync("reset-other");
        const string body = """{ "reason": "x" }""";

        (await _api.PostAsync(tenant.Path("/budgets/team/reset"), tenant.ServiceKey, body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.PostAsync(tenant.Path("/budgets/team/reset"), other.TenantAdminKey, body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.PostAsync(tenant.Path("/budgets/team/reset"), null, body)).ExpectProblem(HttpStatusCode.Unauthorized);
        (await _api.PostAsync(tenant.Path("/budgets/nope/reset"), tenant.TenantAdminKey, body)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Empty((await _api.GetAsync(tenant.Path("/budgets/team/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
        (await _api.PostAsync(tenant.Path("/budgets/team/reset"), host.AdminKey, body)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_custom_budget_reports_the_period_of_its_grid_and_a_rolling_one_its_window()
    {
        var tenant = await host.NewTenantAsync("periods");
        var custom = await tenant.CreateBudgetAsync("sprint", """
            { "period": { "type": "custom", "timezone": "UTC", "start": "2026-01-05T09:00:00+00:00", "lengthMinutes": 20160 }, "limits": { "cost": 10 } }
            """);
        Assert.Equal("custom", custom.Str("period.type"));
        var status = custom.At("status");
        var start = status.Time("periodStart");
        Assert.Equal(TimeSpan.FromDays(14), status.Time("periodEnd") - start);
        Assert.Equal(0, (start - new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)).Ticks % TimeSpan.FromDays(14).Ticks);
        Assert.InRange(DateTimeOffset.UtcNow, start, start.AddDays(14));

        var rolling = await tenant.CreateBudgetAsync("burst", """{ "period": { "type": "rolling", "windowMinutes": 60 }, "limits": { "cost": 5 } }""");
        Assert.Equal(60, rolling.Long("period.windowMinutes"));
        var window = rolling.At("status");
        Assert.Equal(TimeSpan.FromMinutes(61), window.Time("periodEnd") - window.Time("periodStart")); // 60 buckets of a minute and the current one

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": {}, "actual": { "cost": 4 } }""");
        var check = await tenant.CheckAsync("""{ "estimate": { "cost": 2 } }""");
        Assert.Equal("block", check.Str("decision"));
        Assert.Equal(["burst"], check.Strings("blockedBy"));
        Assert.Equal(4m, check.Budget("burst").Dec("cost.spent"));
        Assert.Equal(4m, check.Budget("sprint").Dec("cost.spent"));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_reset_custom_and_rolling_periods_and_the_window_granularity()
    {
        var document = (await _api.GetAsync("/openapi/v1.json", key: null)).Expect(HttpStatusCode.OK);

        var reset = document.At("paths").GetProperty("/v1/tenants/{tenant}/budgets/{budgetId}/reset").GetProperty("post");
        Assert.Contains("manual reset", reset.Str("summary"));
        var put = document.At("paths").GetProperty("/v1/tenants/{tenant}/budgets/{budgetId}").GetProperty("put").Str("description");
        Assert.Contains("60 buckets", put);
        Assert.Contains("lengthMinutes", put);
        Assert.Contains("carryOver", put);
    }
}
