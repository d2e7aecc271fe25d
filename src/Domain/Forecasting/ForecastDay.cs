namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// One stretch of the median path: what is forecast to be spent between <see cref="From"/> and
/// <see cref="To"/>, a local day of the budget's zone or the part of one that is left in the period
/// (the rest of today; a last day that the period's end cuts). For charts next to the daily trend.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ForecastDay")]
public sealed record ForecastDay(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] decimal Amount);
