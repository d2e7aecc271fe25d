namespace BudgetActors.Pricing;

/// <summary>
/// A request or usage that cannot be priced as given. Every subclass is a caller error (an HTTP host
/// maps it to 400) except <see cref="PriceCatalogFormatException"/>, which is a bad catalog file.
/// </summary>
public class PricingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The model is neither in the catalog nor in the tenant's overrides, and no tenant default price is configured.</summary>
public sealed class UnknownModelException(string model, string catalogVersion)
    : PricingException($"Unknown model '{model}': it is not in the price catalog (version {catalogVersion}) " +
                       "nor in the tenant's price overrides. Add a price override for it, or configure a tenant default price.")
{
    /// <summary>The model name exactly as the caller gave it.</summary>
    public string Model { get; } = model;
}

/// <summary>The model has no price for the requested tier (for example flex processing on a model that does not offer it).</summary>
public sealed class UnsupportedTierException(string model, ServiceTier tier)
    : PricingException($"Model '{model}' has no '{tier.ToString().ToLowerInvariant()}' tier price.")
{
    public string Model { get; } = model;
    public ServiceTier Tier { get; } = tier;
}

/// <summary>The token counts of a usage or estimate are impossible (negative, or parts larger than the whole).</summary>
public sealed class InvalidUsageException(string message) : PricingException(message);

/// <summary>A catalog or overrides document that does not follow the format; the message names the JSON path.</summary>
public sealed class PriceCatalogFormatException(string message, Exception? inner = null) : PricingException(message, inner);
