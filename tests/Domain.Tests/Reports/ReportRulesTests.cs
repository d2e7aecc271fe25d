using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

public sealed class ReportRulesTests
{
    [Theory]
    [InlineData("2026-01-01", "2026-12-31", "queue")] // 365 days
    [InlineData("2024-01-01", "2024-12-31", "budget")] // 366 days, a leap year
    [InlineData("2026-11-10", "2026-11-10", "user")]
    public void A_range_of_up_to_366_days_and_a_known_grouping_are_taken(string from, string to, string groupBy)
    {
        var errors = new RequestErrors();
        var (first, last, by) = ReportRules.Report(from, to, groupBy, errors);

        Assert.True(errors.IsEmpty, errors.ToString());
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to), groupBy), (first, last, by));
    }

    [Theory]
    [InlineData("2026-11-11", "2026-11-10", "queue", "from")]
    [InlineData("2025-01-01", "2026-01-02", "queue", "to")] // 367 days
    [InlineData("2026-11-01", "2026-11-10", "team", "groupBy")]
    [InlineData("2026-11-01", "2026-11-10", "Queue", "groupBy")]
    [InlineData("11/01/2026", "2026-11-10", "queue", "from")]
    [InlineData(null, "2026-11-10", "queue", "from")]
    [InlineData("2026-11-01", "2026-02-30", "queue", "to")]
    public void A_bad_range_or_grouping_is_refused_naming_its_field(string? from, string? to, string groupBy, string field)
    {
        var errors = new RequestErrors();
        ReportRules.Report(from, to, groupBy, errors);

        Assert.Equal([field], errors.ToImmutable().Keys);
    }

    [Fact]
    public void Grouping_defaults_to_budgets_and_a_trend_to_thirty_days()
    {
        var errors = new RequestErrors();

        Assert.Equal("budget", ReportRules.Report("2026-11-01", "2026-11-02", null, errors).GroupBy);
        Assert.Equal(30, ReportRules.TrendDays(null, errors));
        Assert.Equal(366, ReportRules.TrendDays("366", errors));
        Assert.True(errors.IsEmpty);
        ReportRules.TrendDays("0", errors);
        ReportRules.TrendDays("367", errors);
        ReportRules.TrendDays("7.5", errors);
        Assert.Equal(3, errors.ToImmutable()["days"].Length);
    }
}
