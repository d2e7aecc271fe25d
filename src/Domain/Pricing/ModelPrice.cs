using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tenant's own prices for one model, in its currency per million tokens: negotiated prices over
/// the catalog's, or a custom or self-hosted model the catalog does not know.
/// </summary>
/// <param name="Encoding">The tokenizer encoding for estimates (o200k_base, cl100k_base); null: the catalog's, or the documented fallback.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ModelPrice")]
public sealed record ModelPrice(
    [property: Id(0)] string Model,
    [property: Id(1)] decimal Input,
    [property: Id(2)] decimal Output,
    [property: Id(3)] decimal? CachedInput = null,
    [property: Id(4)] decimal? CacheWrite = null,
    [property: Id(5)] decimal? Reasoning = null,
    [property: Id(6)] string? Encoding = null);
