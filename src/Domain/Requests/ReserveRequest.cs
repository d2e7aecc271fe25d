using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Hold an expected amount on every applicable budget, or on none.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReserveRequest")]
public sealed record ReserveRequest(
    [property: Id(0)] string? IdempotencyKey,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] AmountSpec Estimate,
    [property: Id(3)] TimeSpan Ttl,
    [property: Id(4)] int Priority = 0);
