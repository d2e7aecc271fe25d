namespace BudgetActors;

/// <param name="SubjectsChanged">How many subjects had their budgets changed with it.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.PutTierResult")]
public sealed record PutTierResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] TierDefinition Tier,
    [property: Id(2)] int SubjectsChanged);
