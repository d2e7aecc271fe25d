using NodaTime;

namespace BudgetActors.Domain;

/// <summary>
/// Cuts time into calendar-aligned periods in an IANA time zone: days from local midnight, weeks
/// from Monday, months from the 1st. Time zone rules come from NodaTime's bundled tz database, so a
/// period is the same on every machine; a local midnight that a DST change skips starts the day at
/// the first instant that exists.
/// </summary>
public static class PeriodCalendar
{
    public static bool IsKnownTimeZone(string timeZone) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is not null;

    /// <summary>The period of <paramref name="spec"/> that contains <paramref name="now"/>.</summary>
    /// <param name="totalStart">Where a <c>total</c> period starts (the budget's creation).</param>
    public static Period PeriodContaining(PeriodSpec spec, DateTimeOffset now, DateTimeOffset totalStart)
    {
        if (spec.Type == PeriodType.Total)
        {
            return new Period(totalStart, null);
        }

        var zone = DateTimeZoneProviders.Tzdb[spec.TimeZone];
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var (first, next) = spec.Type switch
        {
            PeriodType.Daily => (today, today.PlusDays(1)),
            PeriodType.Weekly => WeekOf(today),
            PeriodType.Monthly => (today.With(DateAdjusters.StartOfMonth), today.With(DateAdjusters.StartOfMonth).PlusMonths(1)),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Type, "Unknown period type."),
        };
        return new Period(StartOfDay(first, zone), StartOfDay(next, zone));
    }

    private static (LocalDate First, LocalDate Next) WeekOf(LocalDate date)
    {
        var monday = date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        return (monday, monday.PlusWeeks(1));
    }

    private static DateTimeOffset StartOfDay(LocalDate date, DateTimeZone zone) =>
        date.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
}
