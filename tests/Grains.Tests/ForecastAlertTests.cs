using System.Collections.Immutable;
using BudgetActors.Alerts;
using BudgetActors.Grains.Alerts;
using BudgetActors.Grains.Tests.Infrastructure;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// The forecast trigger of alerts: a budget whose policy forecasts asks the forecaster on a timer
/// (every second in this cluster, <c>Alerts:ForecastInterval</c>), off the admission path, and an
/// overrun the forecast foresees from the budget's daily history is one alert a period, worded with
/// the day it happens; a budget whose forecast stays within its limit raises none.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ForecastAlertTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_forecast_overrun_is_raised_once_on_the_timer_with_the_day_it_happens_and_a_budget_within_its_limit_raises_none()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var alerts = fixture.Client.GetGrain<IAlertsGrain>(tenant.Id);
        await alerts.PutChannel("ops", "in-app", null, []);
        var year = TestClock.JumpToLocal("UTC", 12, 13, 12);

        // 10 a day for the twelve days of December so far, 5 this morning: 125 spent. The budgets
        // forecast only once it is all in (a definition that turns forecasting on starts the timer),
        // so that no forecast of half the history comes first.
        await Budget(tenant, "alice-monthly", 235m, forecast: false);
        await Budget(tenant, "team-monthly", 400m, forecast: false);
        for (var day = 1; day <= 12; day++)
        {
            await tenant.RecordAt(10m, new DateTimeOffset(year, 12, day, 12, 0, 0, TimeSpan.Zero));
        }

        await tenant.RecordAt(5m, TestClock.Now.AddHours(-1));
        await Budget(tenant, "alice-monthly", 235m, forecast: true);
        await Budget(tenant, "team-monthly", 400m, forecast: true);

        // At 10 a day alice-monthly reaches 235 as the 23rd ends and passes it on the 24th at noon;
        // the month ends at 310, within team-monthly's 400.
        var raised = await Poll.UntilAsync(async () => (await alerts.Feed(new AlertFeedQuery(BudgetId: "alice-monthly"))).Items,
            items => items.Any(a => a.Type == AlertEventTypes.ForecastOverrun), "alice-monthly's forecast overrun", TimeSpan.FromSeconds(30));
        var alert = Assert.Single(raised, a => a.Type == AlertEventTypes.ForecastOverrun);
        Assert.Equal(
            $"At this rate alice-monthly passes its monthly cost limit of 235.00 on the 24th ({year}-12-24 12:00 UTC) and ends the period at 310.00 (125.00 so far).",
            alert.Message);
        var delivery = Assert.Single(alert.Deliveries);
        Assert.Equal("ops", delivery.Channel);
        Assert.NotEqual("suppressed", delivery.Status);

        // Something that must not happen takes waiting to show: four more intervals of the timers
        // (1 s here), and still one alert for alice-monthly, none for team-monthly.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Single((await alerts.Feed(new AlertFeedQuery(BudgetId: "alice-monthly"))).Items, a => a.Type == AlertEventTypes.ForecastOverrun);
        Assert.DoesNotContain((await alerts.Feed(new AlertFeedQuery(BudgetId: "team-monthly"))).Items, a => a.Type == AlertEventTypes.ForecastOverrun);
    }

    private static Task<PutBudgetResult> Budget(TestTenant tenant, string id, decimal limit, bool forecast) =>
        tenant.Grain.PutBudget(new BudgetDefinition(id, ImmutableSortedDictionary<string, string>.Empty,
            new PeriodSpec(PeriodType.Monthly, "UTC"), new Limits(limit, null, null), Thresholds.Default, EnforcementMode.Hard, null,
            new AlertPolicy([0.9m], ["ops"], 0, 10, forecast, null)));
}
