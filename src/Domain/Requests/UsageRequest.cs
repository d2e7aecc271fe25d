using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Spend that happened without a reservation. The idempotency key is required.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.UsageRequest")]
public sealed record UsageRequest(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] AmountSpec Actual,
    [property: Id(3)] DateTimeOffset? Timestamp = null);
