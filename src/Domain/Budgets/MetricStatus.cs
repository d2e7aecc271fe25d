namespace BudgetActors;

/// <summary>One metric of a budget in its current period. Limit, remaining and utilization are null when the metric has no limit.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.MetricStatus")]
public sealed record MetricStatus(
    [property: Id(0)] decimal? Limit,
    [property: Id(1)] decimal Spent,
    [property: Id(2)] decimal Reserved,
    [property: Id(3)] decimal? Remaining,
    [property: Id(4)] decimal? Utilization);
