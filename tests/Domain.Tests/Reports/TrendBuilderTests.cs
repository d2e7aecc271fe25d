using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

public sealed class TrendBuilderTests
{
    [Fact]
    public void Every_day_is_present_across_the_clock_change_and_the_month_end_in_the_tenants_zone()
    {
        string[] budget = ["monthly"];
        var rows = Facts.Fold("Europe/Paris",
            Facts.Plain(DateTimeOffset.Parse("2026-10-24T21:59:00Z"), 1m, budget), // 23:59 on the 24th
            Facts.Plain(DateTimeOffset.Parse("2026-10-25T00:30:00Z"), 2m, budget), // the 25-hour day: 02:30 CEST
            Facts.Plain(DateTimeOffset.Parse("2026-10-25T01:30:00Z"), 4m, budget), // and 02:30 CET
            Facts.Plain(DateTimeOffset.Parse("2026-10-25T22:59:00Z"), 8m, budget), // 23:59 CET
            Facts.Plain(DateTimeOffset.Parse("2026-10-31T23:30:00Z"), 16m, budget), // 00:30 on 1 November in Paris
            Facts.Plain(DateTimeOffset.Parse("2026-11-02T10:00:00Z"), 32m, ["other"]));

        var trend = TrendBuilder.Build(new DateOnly(2026, 11, 2), 10,
            rows.Where(r => r.Key.BudgetId == "monthly" && r.Key.Dimension == "total").Select(r => KeyValuePair.Create(r.Key.Day, r.Value)));

        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => new DateOnly(2026, 10, 24).AddDays(i))], trend.Select(d => d.Date));
        Assert.Equal([1m, 14m, 0m, 0m, 0m, 0m, 0m, 0m, 16m, 0m], trend.Select(d => d.Cost));
        Assert.Equal([1L, 3L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L], trend.Select(d => d.Count));
        Assert.Equal(3m, trend[1].Operations);
    }

    [Fact]
    public void A_trend_of_one_day_is_today_and_rows_outside_it_are_left_out()
    {
        var today = new DateOnly(2026, 3, 1);
        var rows = Facts.Fold("UTC",
            Facts.Plain(DateTimeOffset.Parse("2026-02-28T23:59:59Z"), 5m, ["b"]),
            Facts.Plain(DateTimeOffset.Parse("2026-03-01T00:00:00Z"), 7m, ["b"]));

        var trend = TrendBuilder.Build(today, 1, rows.Where(r => r.Key.BudgetId == "b" && r.Key.Dimension == "total").Select(r => KeyValuePair.Create(r.Key.Day, r.Value)));

        Assert.Equal(new TrendDay(today, 7m, 0m, 1m, 1), Assert.Single(trend));
    }
}
