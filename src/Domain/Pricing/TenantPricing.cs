using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>A tenant's price overrides, and the price (if any) for models neither it nor the catalog knows.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.TenantPricing")]
public sealed record TenantPricing(
    [property: Id(0)] ImmutableSortedDictionary<string, ModelPrice> Models,
    [property: Id(1)] ModelPrice? UnknownModels)
{
    public static readonly TenantPricing None = new(ImmutableSortedDictionary<string, ModelPrice>.Empty.WithComparers(StringComparer.Ordinal), null);
}
