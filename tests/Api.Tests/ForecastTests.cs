using System.Globalization;
using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>GET …/budgets/{b}/forecast over HTTP, from usage back-dated over the last days (the host's clock is real).</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ForecastTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Ten_days_of_steady_spend_give_a_forecast_of_the_period_end_with_an_ordered_band()
    {
        var tenant = await host.NewTenantAsync("forecast");
        await tenant.CreateBudgetAsync("team", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 100000 } }""");
        var now = DateTimeOffset.UtcNow;
        for (var back = 10; back >= 1; back--)
        {
            var at = now.AddDays(-back).ToString("O", CultureInfo.InvariantCulture);
            await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "d{{back}}", "attributes": {}, "actual": { "cost": 20 }, "timestamp": "{{at}}" }""");
        }

        var forecast = (await _api.GetAsync(tenant.Path("/budgets/team/forecast"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.False(forecast.TryGetProperty("insufficientHistory", out _));
        Assert.InRange(forecast.GetProperty("historyDays").GetInt32(), 10, 11);
        Assert.Contains(forecast.Str("method"), new[] { "seasonal-naive", "run-rate", "linear-weekday", "holt-winters-damped" });
        var (p10, p50, p90) = (forecast.Dec("predicted.p10"), forecast.Dec("predicted.p50"), forecast.Dec("predicted.p90"));
        Assert.True(p10 <= p50 && p50 <= p90, $"{p10} ≤ {p50} ≤ {p90}");
        var spent = (await tenant.UseOfAsync("team")).CostSpent;
        Assert.Equal(spent, forecast.Dec("spent"));
        Assert.True(p10 >= spent);
        Assert.True(forecast.IsNull("overrunAt")); // 20 a day never reaches 100,000 this month
        Assert.Equal("flat", forecast.Str("trend"));
        Assert.Contains("team", forecast.Str("recommendation"));
    }

    [Fact]
    public async Task A_new_budget_has_too_little_history_and_a_total_budget_no_period_end()
    {
        var tenant = await host.NewTenantAsync("forecast-new");
        await tenant.CreateCostBudgetAsync("fresh", 100m);
        await tenant.CreateBudgetAsync("pilot", """{ "scope": { "user": "pilot" }, "period": { "type": "total" }, "limits": { "cost": 100 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": {}, "actual": { "cost": 4 } }""");

        var fresh = (await _api.GetAsync(tenant.Path("/budgets/fresh/forecast"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.True(fresh.GetProperty("insufficientHistory").GetBoolean());
        Assert.Equal(0, fresh.GetProperty("historyDays").GetInt32()); // whole days only: today is still going
        Assert.True(fresh.Dec("runRate") >= 4m, $"4 spent today is at least 4 a day: {fresh.Dec("runRate")}");

        var total = (await _api.GetAsync(tenant.Path("/budgets/pilot/forecast"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("never ends", total.Str("detail"));
        (await _api.GetAsync(tenant.Path("/budgets/nope/forecast"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
    }
}
