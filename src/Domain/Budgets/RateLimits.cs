namespace BudgetActors;

/// <summary>Requests and tokens per minute admitted on a budget's scope (checks and reservations), exact under concurrency.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.RateLimits")]
public sealed record RateLimits(
    [property: Id(0)] int? RequestsPerMinute,
    [property: Id(1)] long? TokensPerMinute);
