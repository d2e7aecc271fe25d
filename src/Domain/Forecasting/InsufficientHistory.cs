namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Fewer than <see cref="Forecaster.MinimumHistoryDays"/> complete days of history: no forecast, only
/// the spend per day so far (complete days plus the elapsed part of today), rounded to 6 places.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.InsufficientHistory")]
public sealed record InsufficientHistory(int HistoryDays, [property: Id(0)] decimal RunRate) : ForecastOutcome(HistoryDays);
