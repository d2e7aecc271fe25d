namespace BudgetActors.Domain;

/// <summary>
/// What a budget's current period carries besides its spend: emergency room taken, and what its
/// alerts have already said this period (each threshold, each state, a forecast overrun at most once
/// a period, however spend hovers). Made at the first of these in a period and dropped at rollover.
/// </summary>
/// <param name="HighestThreshold">The highest alert threshold reached this period (0: none).</param>
/// <param name="HighestState">The most severe state reached this period.</param>
/// <param name="GraceStartedAt">When the period's grace began: the first request admitted past the block threshold under the grace policy.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Domain.PeriodMarks")]
public sealed record PeriodMarks(
    [property: Id(0)] DateTimeOffset PeriodStart,
    [property: Id(1)] int EmergencyUses,
    [property: Id(2)] Amount EmergencyRaise,
    [property: Id(3)] decimal HighestThreshold,
    [property: Id(4)] BudgetState HighestState,
    [property: Id(5)] bool ForecastRaised,
    [property: Id(6)] DateTimeOffset? GraceStartedAt = null)
{
    public static PeriodMarks Fresh(DateTimeOffset periodStart) => new(periodStart, 0, Amount.Zero, 0m, BudgetState.Ok, false);
}
