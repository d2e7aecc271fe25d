using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>A key just issued: the only time its secret is shown.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.IssuedKey")]
public sealed record IssuedKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Key,
    [property: Id(2)] ApiKeyRole Role,
    [property: Id(3)] string Name);
