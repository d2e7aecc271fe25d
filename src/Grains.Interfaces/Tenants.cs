using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Currency,
    [property: Id(3)] string TimeZone,
    [property: Id(4)] DateTimeOffset CreatedAt);

[GenerateSerializer, Alias("BudgetActors.ApiKeyRole")]
public enum ApiKeyRole
{
    /// <summary>The bootstrap key: everything, every tenant.</summary>
    Admin,

    /// <summary>One tenant: budgets, keys, overrides, and all a service may do.</summary>
    TenantAdmin,

    /// <summary>One tenant: check, reserve, commit, release, record, read.</summary>
    Service,
}

/// <summary>A tenant's API key as stored: its secret only as a SHA-256 hash.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ApiKeyRecord")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] ApiKeyRole Role,
    [property: Id(3)] string SecretHash,
    [property: Id(4)] DateTimeOffset CreatedAt);

/// <summary>A key just issued: the only time its secret is shown.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.IssuedKey")]
public sealed record IssuedKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Key,
    [property: Id(2)] ApiKeyRole Role,
    [property: Id(3)] string Name);

[GenerateSerializer, Immutable, Alias("BudgetActors.PutBudgetResult")]
public sealed record PutBudgetResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] BudgetDefinition Definition);

/// <summary>
/// Everything the check path needs to know of a tenant, handed to per-process caches under a lease:
/// the tenant grain promises to tell the holder (or wait the lease out) before anything in it changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.TenantDirectory")]
public sealed record TenantDirectory(
    [property: Id(0)] TenantInfo Tenant,
    [property: Id(1)] ImmutableArray<BudgetDefinition> Budgets,
    [property: Id(2)] ImmutableArray<ApiKeyRecord> Keys,
    [property: Id(3)] long Version,
    [property: Id(4)] TenantPricing Pricing,
    [property: Id(5)] JobCostModel CostModel);

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

/// <summary>A tenant's price overrides, and the price (if any) for models neither it nor the catalog knows.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.TenantPricing")]
public sealed record TenantPricing(
    [property: Id(0)] ImmutableSortedDictionary<string, ModelPrice> Models,
    [property: Id(1)] ModelPrice? UnknownModels)
{
    public static readonly TenantPricing None = new(ImmutableSortedDictionary<string, ModelPrice>.Empty.WithComparers(StringComparer.Ordinal), null);
}
