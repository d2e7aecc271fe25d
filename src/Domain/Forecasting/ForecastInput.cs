using NodaTime;

namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// What a forecast is made from: one metric of one budget.
/// </summary>
/// <param name="BudgetId">Named in the recommendation.</param>
/// <param name="Metric"><c>cost</c>, <c>tokens</c> or <c>operations</c>: the leading metric, whose limit is <paramref name="Limit"/>.</param>
/// <param name="Daily">
/// The metric's spend per local day of <paramref name="TimeZone"/>, across periods (the budget's daily
/// trend). Days without an entry spent nothing. An entry for today is today's partial day (unless
/// <paramref name="TodaySoFar"/> says it); entries after today are refused.
/// </param>
/// <param name="TodaySoFar">Spent so far today; null to take it from <paramref name="Daily"/>.</param>
/// <param name="PeriodStart">Start of the current period.</param>
/// <param name="PeriodEnd">End of the current period (a <c>total</c> budget has none: the caller picks a horizon).</param>
/// <param name="TimeZone">The budget's IANA time zone: its days are the series' days.</param>
/// <param name="Limit">The limit of <paramref name="Metric"/> in force; null when it has none.</param>
/// <param name="Spent">Spent so far this period (exact, from the budget).</param>
/// <param name="Now">The business clock's now.</param>
public sealed record ForecastInput(
    string BudgetId,
    string Metric,
    IReadOnlyDictionary<LocalDate, decimal> Daily,
    decimal? TodaySoFar,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    string TimeZone,
    decimal? Limit,
    decimal Spent,
    DateTimeOffset Now)
{
    /// <summary>
    /// The first day of history (the budget's creation, in its zone): days from it on without an entry
    /// count as zero, and entries before it are not history. Null: the series' earliest entry.
    /// </summary>
    public LocalDate? FirstDay { get; init; }

    /// <summary>The spend per day of one metric (<c>cost</c>, <c>tokens</c> or <c>operations</c>) out of a budget's trend.</summary>
    public static IReadOnlyDictionary<LocalDate, decimal> DailyOf(IEnumerable<Reports.TrendDay> days, string metric)
    {
        _ = Tally.Zero.Of(metric); // an unknown metric is refused even for no days
        return days.ToDictionary(d => LocalDate.FromDateOnly(d.Date), d => new Tally(d.Cost, d.Tokens, d.Operations).Of(metric));
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first thing wrong; returns the budget's zone.</summary>
    internal DateTimeZone Validate()
    {
        if (string.IsNullOrWhiteSpace(BudgetId))
        {
            throw new ArgumentException("A forecast needs the budget's id.", nameof(BudgetId));
        }

        if (string.IsNullOrWhiteSpace(Metric))
        {
            throw new ArgumentException("A forecast needs the metric's name.", nameof(Metric));
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone ?? "")
            ?? throw new ArgumentException($"Unknown time zone '{TimeZone}'.", nameof(TimeZone));
        if (PeriodEnd <= PeriodStart)
        {
            throw new ArgumentException("The period must end after it starts.", nameof(PeriodEnd));
        }

        if (Limit < 0m)
        {
            throw new ArgumentException("A limit cannot be negative.", nameof(Limit));
        }

        if (Spent < 0m || TodaySoFar < 0m)
        {
            throw new ArgumentException("Spend cannot be negative.", Spent < 0m ? nameof(Spent) : nameof(TodaySoFar));
        }

        ArgumentNullException.ThrowIfNull(Daily);
        var today = Instant.FromDateTimeOffset(Now).InZone(zone).Date;
        foreach (var (date, value) in Daily)
        {
            if (value < 0m)
            {
                throw new ArgumentException($"Spend of {date:uuuu-MM-dd} is negative.", nameof(Daily));
            }

            if (date > today)
            {
                throw new ArgumentException($"The series has {date:uuuu-MM-dd}, after today ({today:uuuu-MM-dd}).", nameof(Daily));
            }
        }

        return zone;
    }
}
