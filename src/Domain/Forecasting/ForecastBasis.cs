namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// What a budget knows that its forecast starts from (<see cref="BudgetAccount.ForecastBasis"/>): its
/// current period, and its leading metric — the limited one nearest its limit, as admission ranks
/// them (cost when none is limited) — with what is spent of it and its limit in force.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ForecastBasis")]
public sealed record ForecastBasis(
    [property: Id(0)] string Metric,
    [property: Id(1)] decimal Spent,
    [property: Id(2)] decimal? Limit,
    [property: Id(3)] DateTimeOffset PeriodStart,
    [property: Id(4)] DateTimeOffset PeriodEnd);
