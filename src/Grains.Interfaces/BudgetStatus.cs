namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.BudgetState")]
public enum BudgetState
{
    Ok,
    Warning,
    Throttled,
    Blocked,
}

/// <summary>
/// The answer to "may I spend this?". Ordered from least to most restrictive, so the decision over
/// several budgets is simply the maximum.
/// </summary>
[GenerateSerializer, Alias("BudgetActors.Decision")]
public enum Decision
{
    Allow,
    Warn,
    Throttle,
    Downgrade,
    Block,
}

/// <summary>One metric of a budget in its current period. Limit, remaining and utilization are null when the metric has no limit.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.MetricStatus")]
public sealed record MetricStatus(
    [property: Id(0)] decimal? Limit,
    [property: Id(1)] decimal Spent,
    [property: Id(2)] decimal Reserved,
    [property: Id(3)] decimal? Remaining,
    [property: Id(4)] decimal? Utilization);

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

/// <summary>A closed period of a budget, kept as history when the period rolls over.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodRecord")]
public sealed record PeriodRecord(
    [property: Id(0)] DateTimeOffset PeriodStart,
    [property: Id(1)] DateTimeOffset PeriodEnd,
    [property: Id(2)] Amount Spent,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] BudgetState FinalState);

/// <summary>What one budget says of one request.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetVerdict")]
public sealed record BudgetVerdict(
    [property: Id(0)] Decision Decision,
    [property: Id(1)] decimal? ThrottleFactor,
    [property: Id(2)] string? DowngradeTo,
    [property: Id(3)] BudgetStatus Status);
