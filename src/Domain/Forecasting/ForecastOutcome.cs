namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// What <see cref="Forecaster"/> answers: a <see cref="Forecast"/>, or <see cref="InsufficientHistory"/>
/// when there are too few days to say anything beyond a run rate.
/// </summary>
/// <param name="HistoryDays">Complete days of history (before today, in the budget's zone) the answer rests on.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ForecastOutcome")]
public abstract record ForecastOutcome([property: Id(0)] int HistoryDays);
