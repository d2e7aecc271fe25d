namespace BudgetActors;

/// <summary>A closed period of a budget, kept as history when the period rolls over.</summary>
/// <param name="Spent">All spend recorded in the period, including spend that arrived after it closed.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodRecord")]
public sealed record PeriodRecord(
    [property: Id(0)] DateTimeOffset PeriodStart,
    [property: Id(1)] DateTimeOffset PeriodEnd,
    [property: Id(2)] Tally Spent,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] BudgetState FinalState)
{
    public bool Contains(DateTimeOffset instant) => instant >= PeriodStart && instant < PeriodEnd;
}
