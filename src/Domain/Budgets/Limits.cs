using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Limits per metric; a null limit means the metric is reported but not limited.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Limits")]
public sealed record Limits(
    [property: Id(0)] decimal? Cost,
    [property: Id(1)] long? Tokens,
    [property: Id(2)] long? Operations);
