namespace BudgetActors.Domain.Tests.Periods;

/// <summary>
/// Custom periods: lengthMinutes of local clock time in the budget's zone, one after another from
/// start. Europe/Paris changes to summer time on 2026-03-29 (02:00 CET → 03:00 CEST, at 01:00 UTC) and
/// back on 2026-10-25 (03:00 CEST → 02:00 CET, at 01:00 UTC); the expected instants below are written
/// in UTC from those rules.
/// </summary>
public class CustomPeriodTests
{
    private const string Paris = "Europe/Paris";
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PeriodSpec Custom(DateTimeOffset start, int lengthMinutes, string zone = Paris) =>
        new(PeriodType.Custom, zone, start, lengthMinutes);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Periods_follow_one_another_from_the_start_and_count_back_before_it()
    {
        var spec = Custom(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1)), 20160, "UTC"); // 14 days

        var first = PeriodCalendar.PeriodContaining(spec, Utc(12, 1, 8), Created);
        Assert.Equal((Utc(12, 1, 8), Utc(12, 15, 8)), (first.Start, first.End!.Value));

        var lastInstant = PeriodCalendar.PeriodContaining(spec, Utc(12, 15, 8).AddTicks(-1), Created);
        Assert.Equal(first, lastInstant);

        var before = PeriodCalendar.PeriodContaining(spec, Utc(11, 20, 0), Created);
        Assert.Equal((Utc(11, 17, 8), Utc(12, 1, 8)), (before.Start, before.End!.Value));
    }

    [Fact]
    public void A_day_long_custom_period_keeps_its_local_hour_and_lasts_23_hours_across_spring_forward()
    {
        var spec = Custom(new DateTimeOffset(2026, 3, 27, 9, 0, 0, TimeSpan.FromHours(1)), 1440);

        // 08:30 CEST on the 29th is still in the period that began at 09:00 CET on the 28th.
        var period = PeriodCalendar.PeriodContaining(spec, Utc(3, 29, 6, 30), Created);
        Assert.Equal(Utc(3, 28, 8), period.Start); // 09:00 CET
        Assert.Equal(Utc(3, 29, 7), period.End); // 09:00 CEST
        Assert.Equal(TimeSpan.FromHours(23), period.End - period.Start);

        var next = PeriodCalendar.PeriodContaining(spec, Utc(3, 29, 7), Created);
        Assert.Equal((Utc(3, 29, 7), Utc(3, 30, 7)), (next.Start, next.End!.Value));
    }

    [Fact]
    public void A_day_long_custom_period_lasts_25_hours_across_fall_back()
    {
        var spec = Custom(new DateTimeOffset(2026, 10, 23, 9, 0, 0, TimeSpan.FromHours(2)), 1440);

        var period = PeriodCalendar.PeriodContaining(spec, Utc(10, 25, 7, 30), Created);
        Assert.Equal(Utc(10, 24, 7), period.Start); // 09:00 CEST
        Assert.Equal(Utc(10, 25, 8), period.End); // 09:00 CET
        Assert.Equal(TimeSpan.FromHours(25), period.End - period.Start);
    }

    [Fact]
    public void An_hourly_period_inside_the_skipped_hour_is_empty_and_never_current()
    {
        var spec = Custom(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1)), 60);

        // 01:59 CET: the 01:00 period ends where 02:00 would have been — the first instant after the gap, 03:00 CEST.
        var beforeGap = PeriodCalendar.PeriodContaining(spec, Utc(3, 29, 0, 59), Created);
        Assert.Equal((Utc(3, 29, 0), Utc(3, 29, 1)), (beforeGap.Start, beforeGap.End!.Value));

        // The 02:00 period would start and end at that same instant: the next one (03:00 CEST) is current.
        var afterGap = PeriodCalendar.PeriodContaining(spec, Utc(3, 29, 1), Created);
        Assert.Equal((Utc(3, 29, 1), Utc(3, 29, 2)), (afterGap.Start, afterGap.End!.Value));
    }

    [Fact]
    public void An_hourly_period_over_the_repeated_hour_lasts_two_hours()
    {
        var spec = Custom(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2)), 60);

        // 02:30 CET, the second 02:30 of the night, is in the period from the first 02:00 (CEST) to 03:00 CET.
        var period = PeriodCalendar.PeriodContaining(spec, Utc(10, 25, 1, 30), Created);
        Assert.Equal((Utc(10, 25, 0), Utc(10, 25, 2)), (period.Start, period.End!.Value));
    }

    [Fact]
    public void The_account_rolls_a_custom_period_over_on_its_DST_boundary_and_files_each_period_once()
    {
        var definition = Budgets.Define(cost: 100m) with { Period = Custom(new DateTimeOffset(2026, 3, 27, 9, 0, 0, TimeSpan.FromHours(1)), 1440) };
        var account = new BudgetAccount(definition, Utc(3, 28, 12), Utc(3, 28, 12));
        account.Usage(new Amount(10m, 0, 1), Utc(3, 28, 12));
        account.Usage(new Amount(5m, 0, 1), Utc(3, 29, 6, 59)); // 08:59 CEST: the 23-hour period still

        Assert.False(account.Advance(Utc(3, 29, 7).AddTicks(-1)));
        Assert.True(account.Advance(Utc(3, 30, 12))); // lazily, a day and a bit later: two periods close

        Assert.Equal(2, account.History.Count);
        var dstDay = account.History[1];
        Assert.Equal((Utc(3, 28, 8), Utc(3, 29, 7), 15m), (dstDay.PeriodStart, dstDay.PeriodEnd, dstDay.Spent.Cost));
        Assert.Equal((Utc(3, 29, 7), Utc(3, 30, 7), 0m), (account.History[0].PeriodStart, account.History[0].PeriodEnd, account.History[0].Spent.Cost));
        Assert.Equal(new Period(Utc(3, 30, 7), Utc(3, 31, 7)), account.Period);

        // Spend recorded on the short day that arrives now goes to its record, not to the current period.
        account.Usage(new Amount(1m, 0, 1), Utc(3, 29, 3));
        Assert.Equal(16m, account.History[1].Spent.Cost);
        Assert.Equal(0m, account.Spent.Cost);
    }
}
