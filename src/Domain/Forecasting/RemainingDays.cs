using NodaTime;

namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// The rest of a period cut at the budget's local midnights: the rest of today, whole days, and the
/// part of a last day the period's end cuts off. Each stretch knows its share of its local day (a
/// day of a DST change is 23 or 25 hours long) and how many days after the last complete day of
/// history its day is (today is 1).
/// </summary>
internal static class RemainingDays
{
    public sealed record Stretch(DateTimeOffset From, DateTimeOffset To, LocalDate Date, int Horizon, decimal Share);

    public static IReadOnlyList<Stretch> Of(DateTimeOffset from, DateTimeOffset end, DateTimeZone zone, LocalDate today)
    {
        var stretches = new List<Stretch>();
        var cursor = from;
        while (cursor < end)
        {
            var date = Instant.FromDateTimeOffset(cursor).InZone(zone).Date;
            var dayStart = date.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
            var dayEnd = date.PlusDays(1).AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
            var to = dayEnd < end ? dayEnd : end;
            var share = (decimal)(to - cursor).Ticks / (dayEnd - dayStart).Ticks;
            stretches.Add(new Stretch(InZone(cursor, zone), InZone(to, zone), date, NodaTime.Period.Between(today, date, PeriodUnits.Days).Days + 1, share));
            cursor = to;
        }

        return stretches;
    }

    /// <summary>An instant with the budget's offset at that instant, as the API shows times.</summary>
    public static DateTimeOffset InZone(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset();
}
