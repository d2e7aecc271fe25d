using BudgetActors.Domain.Forecasting;
using NodaTime;

namespace BudgetActors.Domain.Tests.Forecasting;

/// <summary>
/// Builds forecast inputs: a daily series ending yesterday, a monthly period, and spent worked out
/// from the series the way a budget would have counted it (its days in this period plus today's).
/// </summary>
internal static class ForecastScenario
{
    /// <summary>Noon of Sunday 2026-12-13, halfway through the day, twelve days into December.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-13T12:00:00Z");

    public static ForecastInput Monthly(
        IReadOnlyList<decimal> days, decimal todaySoFar, decimal? limit,
        DateTimeOffset? now = null, string zone = "UTC", string budget = "alice-monthly", string metric = "cost")
    {
        var at = now ?? Now;
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var today = Instant.FromDateTimeOffset(at).InZone(tz).Date;
        var monthStart = today.With(DateAdjusters.StartOfMonth);
        var first = today.PlusDays(-days.Count);
        var daily = new Dictionary<LocalDate, decimal>();
        var spent = todaySoFar;
        for (var i = 0; i < days.Count; i++)
        {
            var date = first.PlusDays(i);
            daily[date] = days[i];
            if (date >= monthStart)
            {
                spent += days[i];
            }
        }

        return new ForecastInput(
            budget, metric, daily, todaySoFar,
            PeriodStart: Start(monthStart, tz), PeriodEnd: Start(monthStart.PlusMonths(1), tz),
            TimeZone: zone, Limit: limit, Spent: spent, Now: at) { FirstDay = first };
    }

    public static DateTimeOffset Start(LocalDate date, DateTimeZone zone) => date.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();

    /// <summary>Deterministic noise in [-1, 1], so that tests need no random seed to reproduce.</summary>
    public static double Wiggle(int t) => Math.Sin(t * 12.9898 + 78.233) * 43758.5453 % 1.0;

    public static Forecast AsForecast(this ForecastOutcome outcome) =>
        Assert.IsType<Forecast>(outcome);
}
