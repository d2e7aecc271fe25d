namespace BudgetActors;

/// <summary>A manual reset: the period record it closed (null if the cut fell where nothing is kept) and the budget after it.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ResetResult")]
public sealed record ResetResult(
    [property: Id(0)] PeriodRecord? Closed,
    [property: Id(1)] BudgetStatus Status);
