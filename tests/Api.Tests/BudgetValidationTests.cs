using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>An invalid budget PUT is a 400 naming the field; the budget it would replace stays as it was.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class BudgetValidationTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    public static TheoryData<string, string> InvalidBudgets => new()
    {
        // body, the field named in errors
        { """{ "period": { "type": "daily" }, "limits": {} }""", "limits" },
        { """{ "period": { "type": "daily" } }""", "limits" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": null, "tokens": null } }""", "limits" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": -1 } }""", "limits.cost" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1000000000000.5 } }""", "limits.cost" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": "10" } }""", "limits.cost" },
        { """{ "period": { "type": "daily" }, "limits": { "tokens": 2.5 } }""", "limits.tokens" },
        { """{ "period": { "type": "daily" }, "limits": { "operations": -3 } }""", "limits.operations" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "thresholds": { "warn": 0.9, "throttle": 0.5, "block": 1 } }""", "thresholds" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "thresholds": { "throttle": 0.95, "block": 0.9 } }""", "thresholds" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "thresholds": { "warn": 0 } }""", "thresholds.warn" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "thresholds": { "warn": -0.5 } }""", "thresholds.warn" },
        { """{ "limits": { "cost": 1 } }""", "period" },
        { """{ "period": {}, "limits": { "cost": 1 } }""", "period.type" },
        { """{ "period": { "type": "hourly" }, "limits": { "cost": 1 } }""", "period.type" },
        { """{ "period": { "type": "Daily" }, "limits": { "cost": 1 } }""", "period.type" },
        { """{ "period": { "type": "daily", "timezone": "Europe/Atlantis" }, "limits": { "cost": 1 } }""", "period.timezone" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "enforcement": { "mode": "strict" } }""", "enforcement.mode" },
        { """{ "scope": { "colour": "red" }, "period": { "type": "daily" }, "limits": { "cost": 1 } }""", "scope.colour" },
        { """{ "scope": { "user": "a b" }, "period": { "type": "daily" }, "limits": { "cost": 1 } }""", "scope.user" },
        { """{ "scope": { "user": "" }, "period": { "type": "daily" }, "limits": { "cost": 1 } }""", "scope.user" },
        { """{ "scope": { "user": "a*b*" }, "period": { "type": "daily" }, "limits": { "cost": 1 } }""", "scope.user" },
        { """{ "period": { "type": "daily" }, "limits": { "cost": 1 }, "name": "extra" }""", "name" },
        { """{ "period": { "type": "daily" }, "period": { "type": "weekly" }, "limits": { "cost": 1 } }""", "period" },
    };

    [Theory]
    [MemberData(nameof(InvalidBudgets))]
    public async Task An_invalid_replacement_is_400_and_the_budget_is_unchanged(string body, string field)
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("budget-400"));

        (await _api.PutAsync(victim.Tenant.Path($"/budgets/{Victim.BudgetId}"), victim.Tenant.TenantAdminKey, body)).ExpectInvalid(field);

        var budget = await victim.Tenant.GetBudgetAsync(Victim.BudgetId);
        Assert.Empty(budget.At("scope").EnumerateObject());
        Assert.Equal(0.75m, budget.Dec("thresholds.warn"));
        Assert.Equal("hard", budget.Str("enforcement.mode"));
        await victim.AssertUntouchedAsync(_api); // limit, period, spend and holds
    }

    [Theory]
    [MemberData(nameof(InvalidBudgets))]
    public async Task An_invalid_new_budget_is_400_and_not_created(string body, string field)
    {
        var tenant = await host.NewTenantAsync("budget-400");

        (await _api.PutAsync(tenant.Path("/budgets/new"), tenant.TenantAdminKey, body)).ExpectInvalid(field);

        (await _api.GetAsync(tenant.Path("/budgets/new"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Empty((await _api.GetAsync(tenant.Path("/budgets"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var tenant = await host.NewTenantAsync("budget-400");

        (await _api.PutAsync(tenant.Path("/budgets/new"), tenant.TenantAdminKey,
                """{ "scope": { "colour": "red" }, "period": { "type": "hourly" }, "limits": { "cost": -1 }, "enforcement": { "mode": "strict" } }"""))
            .ExpectInvalid("scope.colour", "period.type", "limits.cost", "enforcement.mode");
    }

    [Fact]
    public async Task A_scope_may_end_with_a_star_and_zero_limits_are_allowed()
    {
        var tenant = await host.NewTenantAsync("budget-ok");

        var budget = await tenant.CreateBudgetAsync("frozen", """{ "scope": { "model": "gpt-*" }, "period": { "type": "total" }, "limits": { "cost": 0 } }""");

        Assert.Equal("gpt-*", budget.Str("scope.model"));
        Assert.Equal(0m, budget.Dec("limits.cost"));
        var check = await tenant.CheckAsync("""{ "attributes": { "model": "gpt-4o" }, "estimate": { "cost": 0.000001 } }""");
        Assert.Equal("block", check.Str("decision"));
    }
}
