namespace BudgetActors;

/// <summary>What a budget did with a ledger entry delivered to it.</summary>
/// <param name="Honoured">False for a hold entry the budget did not honour: its tentative hold died with an earlier activation.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ApplyResult")]
public sealed record ApplyResult(
    [property: Id(0)] BudgetStatus Status,
    [property: Id(1)] bool Honoured = true);
