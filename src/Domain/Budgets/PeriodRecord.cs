namespace BudgetActors;

/// <summary>A closed period of a budget, kept as history when the period rolls over.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodRecord")]
public sealed record PeriodRecord(
    [property: Id(0)] DateTimeOffset PeriodStart,
    [property: Id(1)] DateTimeOffset PeriodEnd,
    [property: Id(2)] Amount Spent,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] BudgetState FinalState);
