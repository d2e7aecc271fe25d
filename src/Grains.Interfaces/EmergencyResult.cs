namespace BudgetActors;

/// <summary>An emergency use: the room it added, the uses left this period, and the budget after it.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.EmergencyResult")]
public sealed record EmergencyResult(
    [property: Id(0)] Amount Added,
    [property: Id(1)] int UsesLeft,
    [property: Id(2)] BudgetStatus Status);
