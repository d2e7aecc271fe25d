using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>A tenant's API key as stored: its secret only as a SHA-256 hash.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ApiKeyRecord")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] ApiKeyRole Role,
    [property: Id(3)] string SecretHash,
    [property: Id(4)] DateTimeOffset CreatedAt);
