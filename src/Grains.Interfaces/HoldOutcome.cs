namespace BudgetActors;

/// <summary>What one budget answered a tentative hold.</summary>
/// <param name="Epoch">The epoch of the budget's activation that holds it: the reservation's hold entry carries it.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.HoldOutcome")]
public sealed record HoldOutcome(
    [property: Id(0)] bool Granted,
    [property: Id(1)] BudgetVerdict Verdict,
    [property: Id(2)] long Epoch = 0);
