using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tenant's price overrides, the price (if any) for models neither it nor the catalog knows — both
/// in the tenant's currency — and the rate that converts the catalog's USD prices into that currency.
/// </summary>
/// <param name="ExchangeRate">The rate in force for catalog prices; null: none set (a USD tenant needs none).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.TenantPricing")]
public sealed record TenantPricing(
    [property: Id(0)] ImmutableSortedDictionary<string, ModelPrice> Models,
    [property: Id(1)] ModelPrice? UnknownModels,
    [property: Id(2)] ExchangeRate? ExchangeRate = null)
{
    public static readonly TenantPricing None = new(ImmutableSortedDictionary<string, ModelPrice>.Empty.WithComparers(StringComparer.Ordinal), null);
}
