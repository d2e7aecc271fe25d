using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>
/// The business clock of every silo in the test cluster (registered as their <see cref="TimeProvider"/>).
/// A silo configurator is created by type, so the clock is shared through a static. It only moves
/// forward and tests run one at a time, so a test that needs a given calendar date jumps to that date
/// in the year after the current one.
/// </summary>
public static class TestClock
{
    public static FakeTimeProvider Time { get; } = new WallClockOnly(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public static DateTimeOffset Now => Time.GetUtcNow();

    public static void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>
    /// Moves the clock to local <paramref name="month"/>/<paramref name="day"/> <paramref name="hour"/>:00
    /// in <paramref name="timeZone"/>, in the first year after the current one (so the jump is always forward).
    /// Returns the year chosen.
    /// </summary>
    public static int JumpToLocal(string timeZone, int month, int day, int hour)
    {
        var year = Now.Year + 1;
        SetLocal(timeZone, new LocalDateTime(year, month, day, hour, 0));
        return year;
    }

    /// <summary>Moves the clock to a local time of the zone (which must lie ahead).</summary>
    public static void SetLocal(string timeZone, LocalDateTime local) =>
        Time.SetUtcNow(ToInstant(timeZone, local));

    public static DateTimeOffset ToInstant(string timeZone, LocalDateTime local) =>
        local.InZoneLeniently(DateTimeZoneProviders.Tzdb[timeZone]).ToDateTimeOffset().ToUniversalTime();
}
