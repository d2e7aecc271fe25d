using System.Collections.Immutable;

namespace BudgetActors;

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
    [property: Id(5)] JobCostModel CostModel,
    [property: Id(6)] TierDirectory? Tiers = null);
