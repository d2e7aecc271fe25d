namespace BudgetActors.Pricing;

/// <summary>Where the price of a request came from.</summary>
public enum PriceOrigin
{
    /// <summary>The shipped (or replaced) price catalog.</summary>
    Catalog,
    /// <summary>A per-model price the tenant set (negotiated, custom or self-hosted model).</summary>
    TenantOverride,
    /// <summary>The tenant's default price for models nobody else knows.</summary>
    TenantDefault,
}

/// <summary>The prices, tokenizer and usage shape that apply to one model name at one moment.</summary>
/// <param name="RequestedModel">The name as the caller gave it.</param>
/// <param name="ModelId">The catalog's canonical id when the catalog knows the model, else the name as given (trimmed).</param>
/// <param name="Prices">The dated price entry in effect.</param>
/// <param name="CatalogEntry">The catalog entry, when the catalog knows the model (even if an override priced it).</param>
public sealed record PriceResolution(
    string RequestedModel,
    string ModelId,
    PriceOrigin Origin,
    PriceSheet Prices,
    TokenizerSpec Tokenizer,
    UsageShape UsageShape,
    ModelPricing? CatalogEntry);
