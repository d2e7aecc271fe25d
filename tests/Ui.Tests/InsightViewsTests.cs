using System.Globalization;
using BudgetActors.Ui.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BudgetActors.Ui.Tests;

/// <summary>
/// The views over the reports endpoints (trend, forecast, records, report), drawn from answers shaped
/// as API.md gives them. The browser's requests to those endpoints are answered by the test, so that
/// the drawing is checked against known numbers (the host's real answers are drawn in DashboardTests).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class InsightViewsTests(DashboardFixture fixture)
{
    private static string Json(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_budget_page_draws_the_trend_with_the_forecast_band_and_lists_the_records()
    {
        var tenant = await fixture.NewTenantAsync("trend");
        await tenant.PutBudgetAsync("team-monthly", """{ "scope": { "project": "atlas" }, "period": { "type": "monthly" }, "limits": { "cost": 100 } }""");
        var status = (await tenant.GetAsync("budgets/team-monthly")).GetProperty("status");
        var periodEnd = status.GetProperty("periodEnd").GetString()!;
        var today = DateTime.UtcNow.Date;
        var days = string.Join(", ", Enumerable.Range(0, 30).Select(i =>
            Json($$"""{ "date": "{{today.AddDays(i - 29):yyyy-MM-dd}}", "cost": {{(i % 7) * 0.5m}}, "tokens": {{i * 100}}, "operations": {{i}}, "count": {{i % 3}} }""")));

        var page = await fixture.NewPageAsync();
        await AnswerAsync(page, "**/budgets/team-monthly/trend?days=30", $$"""{ "days": [{{days}}] }""");
        await AnswerAsync(page, "**/budgets/team-monthly/forecast", Json($$"""
            { "periodEnd": "{{periodEnd}}", "spent": 40.5, "predicted": { "p10": 60, "p50": 75.25, "p90": 110 },
              "utilizationAtEnd": 0.7525, "trend": "rising", "overrunAt": null, "daysUntilOverrun": null,
              "method": "linear-weekday", "historyDays": 30, "recommendation": "On track: no change needed." }
            """));
        await AnswerAsync(page, "**/records?budget=team-monthly&limit=20", """
            { "items": [
              { "id": "r2", "kind": "usage", "at": "2026-12-05T10:00:00Z", "attributes": { "project": "atlas", "model": "gpt-4o" },
                "charged": { "cost": 1.25, "tokens": 1500, "operations": 1 }, "budgets": ["team-monthly"] },
              { "id": "r1", "kind": "commit", "at": "2026-12-04T09:30:00Z", "attributes": { "project": "atlas" },
                "charged": { "cost": 0.000125, "tokens": 0, "operations": 1 }, "budgets": ["team-monthly"] } ],
              "next": null }
            """);

        await Dashboard.SignInAsync(page, tenant);
        await Dashboard.Budget(page, "team-monthly").GetByRole(AriaRole.Link, new() { Name = "team-monthly" }).ClickAsync();

        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Daily cost of team-monthly over the last 30 days, with the forecast band to the period's end" });
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart.Locator("rect.day")).ToHaveCountAsync(30);
        await Expect(chart.Locator("rect.band")).ToHaveCountAsync(1);
        await Expect(chart.Locator("line.mid")).ToHaveCountAsync(1);
        // The tallest day (3.00) is drawn taller than a day of 0.50, and a day of nothing has no height.
        var heights = await chart.Locator("rect.day").EvaluateAllAsync<double[]>("bars => bars.map(b => Number(b.getAttribute('height')))");
        Assert.Equal(0, heights[0]);
        Assert.True(heights[6] > heights[1] * 5.9 && heights[6] < heights[1] * 6.1, $"3.00 against 0.50: {heights[6]} vs {heights[1]}");

        var forecast = page.Locator("dl.forecast");
        await Expect(forecast).ToContainTextAsync("$75.25");
        await Expect(forecast).ToContainTextAsync("$60.00 – $110.00");
        await Expect(forecast).ToContainTextAsync("75.3%");
        await Expect(forecast).ToContainTextAsync("rising");
        await Expect(forecast).ToContainTextAsync("On track: no change needed.");

        var rows = page.Locator("section[aria-labelledby='records-title'] tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("$1.25");
        await Expect(rows.Nth(0)).ToContainTextAsync("model: gpt-4o");
        await Expect(rows.Nth(1)).ToContainTextAsync("$0.000125");

        await Dashboard.ScreenshotAsync(page, "budget-trend");
    }

    [Fact]
    public async Task Too_little_history_is_said_instead_of_a_band()
    {
        var tenant = await fixture.NewTenantAsync("young");
        await tenant.PutBudgetAsync("young-daily", """{ "scope": {}, "period": { "type": "daily" }, "limits": { "cost": 10 } }""");
        var page = await fixture.NewPageAsync();
        await AnswerAsync(page, "**/budgets/young-daily/trend?days=30", Json($$"""{ "days": [{ "date": "{{DateTime.UtcNow:yyyy-MM-dd}}", "cost": 2, "tokens": 0, "operations": 1, "count": 1 }] }"""));
        await AnswerAsync(page, "**/budgets/young-daily/forecast", """{ "insufficientHistory": true, "historyDays": 1, "runRate": 2 }""");

        await Dashboard.SignInAsync(page, tenant);
        await page.GotoAsync("/ui/#/budget/young-daily");

        await Expect(page.Locator("svg.chart rect.day")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.chart rect.band")).ToHaveCountAsync(0);
        await Expect(page.Locator("p.forecast")).ToHaveTextAsync("Not enough history for a forecast yet (1 days); spending $2.00 a day so far.");
    }

    [Fact]
    public async Task The_report_shows_totals_breakdown_drivers_and_recommendations()
    {
        var tenant = await fixture.NewTenantAsync("report");
        var page = await fixture.NewPageAsync();
        string? asked = null;
        await page.RouteAsync("**/report?*", async route =>
        {
            asked = new Uri(route.Request.Url).Query;
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200,
                ContentType = "application/json",
                Body = """
                    { "from": "2026-11-01", "to": "2026-11-30", "currency": "USD",
                      "total": { "cost": 12.5, "tokens": 30000, "operations": 40, "count": 40 },
                      "groups": [
                        { "key": "gpt-4o", "count": 30, "cost": 10, "share": 0.8, "avg": 0.333333, "min": 0.1, "max": 1.2, "p95": 1.1,
                          "components": { "input": 4, "output": 6 } },
                        { "key": "gpt-4o-mini", "count": 10, "cost": 2.5, "share": 0.2, "avg": 0.25, "min": 0.05, "max": 0.5, "p95": 0.45,
                          "components": { "input": 1, "output": 1.5 } } ],
                      "topDrivers": [ { "key": "gpt-4o", "count": 30, "cost": 10, "share": 0.8 } ],
                      "recommendations": ["Move summarisation from gpt-4o to gpt-4o-mini: about 6.00 a month less."] }
                    """,
            });
        });

        await Dashboard.SignInAsync(page, tenant);
        await page.GetByRole(AriaRole.Link, new() { Name = "Report" }).ClickAsync();
        await page.GetByLabel("Group by").SelectOptionAsync("model");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        var report = page.Locator("#report");
        await Expect(report.Locator("h3").First).ToHaveTextAsync("By model");
        await Expect(report.Locator("dl.totals")).ToContainTextAsync("$12.50");
        await Expect(report.Locator("dl.totals")).ToContainTextAsync("30,000");
        await Expect(report.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(report.Locator("tbody tr").Nth(0)).ToContainTextAsync("80%");
        await Expect(report.Locator("tbody tr").Nth(0)).ToContainTextAsync("output $6.00");
        await Expect(report).ToContainTextAsync("gpt-4o: $10.00 (80%)");
        await Expect(report).ToContainTextAsync("Move summarisation from gpt-4o to gpt-4o-mini");
        Assert.Contains("groupBy=model", asked);
        Assert.Matches(@"from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}", asked);
        await Dashboard.ScreenshotAsync(page, "report");
    }

    [Fact]
    public async Task The_event_log_filters_by_type()
    {
        var tenant = await fixture.NewTenantAsync("events");
        await tenant.PutBudgetAsync("ev-daily", """{ "scope": {}, "period": { "type": "daily" }, "limits": { "cost": 10 } }""");
        var page = await fixture.NewPageAsync();
        await Dashboard.SignInAsync(page, tenant);
        await page.GetByRole(AriaRole.Link, new() { Name = "Events" }).ClickAsync();

        // Unfiltered: the tenant's creation, its two keys and the budget, oldest first.
        var rows = page.Locator("#event-list tbody tr");
        await Expect(rows.Nth(0)).ToContainTextAsync("tenant.updated");
        await Expect(rows).ToHaveCountAsync(4);

        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("budget.created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Nth(0)).ToContainTextAsync("ev-daily");
        await Dashboard.ScreenshotAsync(page, "events");
    }

    private static Task AnswerAsync(IPage page, string url, string json) =>
        page.RouteAsync(url, route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = json }));
}
