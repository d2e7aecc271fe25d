using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>"May I spend this?" — holds nothing.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.CheckRequest")]
public sealed record CheckRequest(
    [property: Id(0)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(1)] AmountSpec Estimate,
    [property: Id(2)] int Priority = 0);
