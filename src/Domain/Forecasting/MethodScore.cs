namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// How one method did in the rolling-origin backtest: errors of its daily forecasts against the days
/// that followed, pooled over every origin and horizon, rounded to 6 places.
/// </summary>
/// <param name="Mae">Mean absolute error per day, in the metric's unit: what the choice is made on.</param>
/// <param name="Smape">Symmetric mean absolute percentage error, 0–200 (a day where both are zero counts as 0).</param>
/// <param name="Mape">Mean absolute percentage error over the days whose actual spend is not zero; null when none is.</param>
/// <param name="Points">Forecast days compared.</param>
public sealed record MethodScore(string Method, decimal Mae, decimal Smape, decimal? Mape, int Points);
