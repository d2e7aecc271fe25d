namespace BudgetActors;

/// <summary>A budget's current period: its bounds, its state and each metric. PeriodEnd is null for a <c>total</c> budget.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetStatus")]
public sealed record BudgetStatus(
    [property: Id(0)] string BudgetId,
    [property: Id(1)] DateTimeOffset PeriodStart,
    [property: Id(2)] DateTimeOffset? PeriodEnd,
    [property: Id(3)] BudgetState State,
    [property: Id(4)] MetricStatus Cost,
    [property: Id(5)] MetricStatus Tokens,
    [property: Id(6)] MetricStatus Operations);
