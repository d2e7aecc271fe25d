using System.Collections.Immutable;

namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Where a budget's spend of one metric is heading by the end of its period (the answer of
/// <c>GET …/forecast</c>). Amounts are in the metric's unit, rounded to 6 places.
/// </summary>
/// <param name="PeriodEnd">The end of the period forecast to.</param>
/// <param name="Spent">Spent so far this period, as given.</param>
/// <param name="Predicted">Spend at the period's end: spent plus the forecast of the rest, median and band.</param>
/// <param name="UtilizationAtEnd">P50 over the limit (a zero limit counts as full); null without a limit.</param>
/// <param name="OverrunAt">When the median path passes the limit, interpolated within its day; null when it does not before the period ends (or spend is already past it).</param>
/// <param name="DaysUntilOverrun">Calendar days in the budget's zone from today to the day of <see cref="OverrunAt"/> (0: later today).</param>
/// <param name="Method">One of <see cref="ForecastMethods"/>.</param>
/// <param name="Recommendation">A plain sentence made from the numbers above.</param>
/// <param name="Days">The median path, day by day, from now to the period's end.</param>
/// <param name="Metric"><c>cost</c>, <c>tokens</c> or <c>operations</c>: the metric forecast (the input's).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Forecast")]
public sealed record Forecast(
    int HistoryDays,
    [property: Id(0)] DateTimeOffset PeriodEnd,
    [property: Id(1)] decimal Spent,
    [property: Id(2)] PredictedSpend Predicted,
    [property: Id(3)] decimal? UtilizationAtEnd,
    [property: Id(4)] ForecastTrend Trend,
    [property: Id(5)] DateTimeOffset? OverrunAt,
    [property: Id(6)] int? DaysUntilOverrun,
    [property: Id(7)] string Method,
    [property: Id(8)] string Recommendation,
    [property: Id(9)] ImmutableArray<ForecastDay> Days,
    [property: Id(10)] string Metric) : ForecastOutcome(HistoryDays);
