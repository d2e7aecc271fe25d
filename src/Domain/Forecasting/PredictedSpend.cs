namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Spend predicted at the end of the period (what is spent already plus what is forecast for the rest):
/// the median path and the band around it, 10th to 90th percentile; always P10 ≤ P50 ≤ P90, and P10
/// never below what is already spent.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PredictedSpend")]
public sealed record PredictedSpend(
    [property: Id(0)] decimal P10,
    [property: Id(1)] decimal P50,
    [property: Id(2)] decimal P90);
