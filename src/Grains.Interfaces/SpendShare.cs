namespace BudgetActors;

/// <summary>One slice of spend over some days: a user's or a model's cost, tokens and number of charges.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendShare")]
public sealed record SpendShare(
    [property: Id(0)] string Key,
    [property: Id(1)] decimal Cost,
    [property: Id(2)] decimal Tokens,
    [property: Id(3)] long Count);
