using NodaTime;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>Calendar facts the tests rely on, stated from the DST rules themselves rather than from the code under test.</summary>
public static class Calendar
{
    /// <summary>The EU changes to summer time on the last Sunday of March.</summary>
    public static LocalDate EuropeanSpringForward(int year) =>
        new LocalDate(year, 3, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Sunday));

    /// <summary>The US goes back to standard time on the first Sunday of November.</summary>
    public static LocalDate UsFallBack(int year) =>
        new LocalDate(year, 11, 1).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Sunday));

    public static DateTimeOffset Instant(string timeZone, LocalDate date, int hour = 0, int minute = 0) =>
        TestClock.ToInstant(timeZone, date.At(new LocalTime(hour, minute)));
}
