using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

public class PeriodCalendarTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Daily_period_starts_at_local_midnight_in_the_budget_zone()
    {
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Daily, "Europe/Paris"),
            new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), Created);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void Day_of_the_spring_DST_change_is_23_hours_long()
    {
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Daily, "Europe/Paris"),
            new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero), Created);

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), period.End);
        Assert.Equal(TimeSpan.FromHours(23), period.End - period.Start);
    }

    [Fact]
    public void Day_of_the_autumn_DST_change_is_25_hours_long()
    {
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Daily, "America/New_York"),
            new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), Created);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(TimeSpan.FromHours(25), period.End - period.Start);
    }

    [Fact]
    public void A_midnight_skipped_by_DST_starts_the_day_at_the_first_instant_that_exists()
    {
        // Chile springs forward at local midnight: 2026-09-06 00:00 does not exist in Santiago.
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Daily, "America/Santiago"),
            new DateTimeOffset(2026, 9, 6, 15, 0, 0, TimeSpan.Zero), Created);

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 4, 0, 0, TimeSpan.Zero), period.Start); // 01:00 local, UTC-3
    }

    [Fact]
    public void Weekly_period_starts_on_Monday()
    {
        // 2026-11-23 is a Monday; Sunday 2026-11-29 23:30 in Tokyo is still in that week.
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Weekly, "Asia/Tokyo"),
            new DateTimeOffset(2026, 11, 29, 14, 30, 0, TimeSpan.Zero), Created);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 15, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void Monthly_period_runs_from_the_first_to_the_first()
    {
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Monthly, "UTC"),
            new DateTimeOffset(2028, 2, 29, 23, 59, 59, TimeSpan.Zero), Created);

        Assert.Equal(new DateTimeOffset(2028, 2, 1, 0, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void Total_period_never_ends()
    {
        var period = PeriodCalendar.PeriodContaining(new PeriodSpec(PeriodType.Total, "UTC"), Created.AddYears(5), Created);

        Assert.Equal(Created, period.Start);
        Assert.Null(period.End);
    }
}
