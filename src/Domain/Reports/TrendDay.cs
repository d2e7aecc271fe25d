namespace BudgetActors.Domain.Reports;

/// <summary>One day of a budget's trend (a day of the tenant's zone): what was charged to it that day.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.TrendDay")]
public sealed record TrendDay(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] decimal Cost,
    [property: Id(2)] decimal Tokens,
    [property: Id(3)] decimal Operations,
    [property: Id(4)] long Count);
