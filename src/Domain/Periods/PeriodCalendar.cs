using NodaTime;

namespace BudgetActors.Domain;

/// <summary>
/// Cuts time into periods in an IANA time zone: days from local midnight, weeks from Monday, months
/// from the 1st; custom periods of a fixed number of local minutes one after another from a start;
/// and the sliding window of a rolling budget. Time zone rules come from NodaTime's bundled tz
/// database, so a period is the same on every machine.
/// <para>
/// A local time that a DST change skips maps to the first instant that exists after the gap (a
/// calendar day starts there, and so does a custom period whose boundary falls in the gap); a local
/// time that a DST change repeats maps to its first occurrence.
/// </para>
/// </summary>
public static class PeriodCalendar
{
    /// <summary>A rolling window is kept in this many buckets (each 1/60 of the window: as many seconds as the window has minutes).</summary>
    public const int RollingBuckets = 60;

    public static bool IsKnownTimeZone(string timeZone) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is not null;

    /// <summary>The period of <paramref name="spec"/> that contains <paramref name="now"/>.</summary>
    /// <param name="totalStart">Where a <c>total</c> period starts (the budget's creation).</param>
    /// <remarks>
    /// For a rolling budget this is the window as counted at <paramref name="now"/>: from the start of
    /// its oldest bucket to the end of the current one (when the window next slides), see
    /// <see cref="RollingWindow"/>.
    /// </remarks>
    public static Period PeriodContaining(PeriodSpec spec, DateTimeOffset now, DateTimeOffset totalStart)
    {
        switch (spec.Type)
        {
            case PeriodType.Total:
                return new Period(totalStart, null);
            case PeriodType.Custom:
                return CustomPeriod(spec, now);
            case PeriodType.Rolling:
                return RollingWindow(spec, now);
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

    /// <summary>How long one bucket of a rolling window lasts: 1/60 of the window.</summary>
    public static TimeSpan BucketWidth(PeriodSpec spec) =>
        TimeSpan.FromTicks(TimeSpan.TicksPerMinute * WindowMinutes(spec) / RollingBuckets);

    /// <summary>The bucket of a rolling window that holds spend recorded at <paramref name="instant"/> (buckets are counted from the Unix epoch, in UTC).</summary>
    public static long BucketOf(PeriodSpec spec, DateTimeOffset instant) =>
        FloorDiv(instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, BucketWidth(spec).Ticks);

    /// <summary>Where bucket <paramref name="bucket"/> of a rolling window starts.</summary>
    public static DateTimeOffset BucketStart(PeriodSpec spec, long bucket) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + bucket * BucketWidth(spec).Ticks, TimeSpan.Zero);

    /// <summary>
    /// The window of a rolling budget at <paramref name="now"/>. Spend is counted by bucket, and a bucket
    /// leaves the window once the whole window has passed since the bucket <em>ended</em>: spend recorded
    /// at t counts until between N and N + N/60 minutes after t, never less than N (so the window never
    /// forgets spend early, and a hard budget never admits more than its limit over any N minutes).
    /// The window is the current bucket and the 60 before it; it ends when the current bucket does.
    /// </summary>
    public static Period RollingWindow(PeriodSpec spec, DateTimeOffset now)
    {
        var current = BucketOf(spec, now);
        return new Period(BucketStart(spec, current - RollingBuckets), BucketStart(spec, current + 1));
    }

    /// <summary>
    /// Custom periods are <c>lengthMinutes</c> of local clock time in the budget's time zone, one
    /// after another from <c>start</c> (and before it, counted back the same way). A period that spans
    /// a DST change is an hour shorter or longer in elapsed time, so that boundaries keep their local
    /// time of day, as calendar periods do; a period that lies wholly inside a skipped hour is empty
    /// and merges into the next one.
    /// </summary>
    private static Period CustomPeriod(PeriodSpec spec, DateTimeOffset now)
    {
        var zone = DateTimeZoneProviders.Tzdb[spec.TimeZone];
        var start = Instant.FromDateTimeOffset(spec.Start ?? throw new ArgumentException("A custom period needs a start.", nameof(spec))).InZone(zone).LocalDateTime;
        long length = spec.LengthMinutes ?? throw new ArgumentException("A custom period needs a length.", nameof(spec));
        var local = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;

        // The local minutes since the start give the period but for the DST hour around a boundary;
        // the boundaries themselves, mapped to instants, settle it.
        var elapsed = (local.InUtc().ToInstant() - start.InUtc().ToInstant()).BclCompatibleTicks;
        var k = FloorDiv(elapsed, length * TimeSpan.TicksPerMinute);
        var instant = Instant.FromDateTimeOffset(now);
        while (Boundary(k) > instant)
        {
            k--;
        }

        while (Boundary(k + 1) <= instant)
        {
            k++;
        }

        // Boundary(k) ≤ now < Boundary(k + 1): an empty period (inside a skipped hour) is never chosen.
        return new Period(Boundary(k).ToDateTimeOffset(), Boundary(k + 1).ToDateTimeOffset());

        Instant Boundary(long n) => AtLocal(start.PlusMinutes(n * length), zone);
    }

    private static Instant AtLocal(LocalDateTime local, DateTimeZone zone)
    {
        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            0 => mapping.LateInterval.Start, // skipped: the first instant after the gap
            _ => mapping.First().ToInstant(), // repeated: the first occurrence
        };
    }

    private static int WindowMinutes(PeriodSpec spec) =>
        spec.WindowMinutes ?? throw new ArgumentException("A rolling period needs a window.", nameof(spec));

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);

    private static (LocalDate First, LocalDate Next) WeekOf(LocalDate date)
    {
        var monday = date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        return (monday, monday.PlusWeeks(1));
    }

    private static DateTimeOffset StartOfDay(LocalDate date, DateTimeZone zone) =>
        date.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
}
