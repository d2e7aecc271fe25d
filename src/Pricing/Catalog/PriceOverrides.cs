using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>
/// A tenant's own price for one model (negotiated discount, custom fine-tune, self-hosted model).
/// What it leaves null (tokenizer, usage shape) is taken from the catalog entry it overrides, if any.
/// </summary>
/// <param name="Prices">Dated price entries, oldest first; at least one.</param>
public sealed record ModelOverride(IReadOnlyList<PriceSheet> Prices, TokenizerSpec? Tokenizer = null, UsageShape? UsageShape = null)
{
    /// <summary>An override with one undated price entry.</summary>
    public static ModelOverride Of(PriceSheet prices, TokenizerSpec? tokenizer = null, UsageShape? usageShape = null) =>
        new([prices], tokenizer, usageShape);

    /// <summary>An override with standard-tier prices only.</summary>
    public static ModelOverride Of(TokenRates rates, TokenizerSpec? tokenizer = null, UsageShape? usageShape = null) =>
        Of(PriceSheet.StandardOnly(rates), tokenizer, usageShape);

    /// <summary>The entry in effect at <paramref name="at"/>, chosen as <see cref="ModelPricing.PriceAt"/> does.</summary>
    public PriceSheet PriceAt(DateTimeOffset at) => PriceSheet.InEffect(Prices, at);
}

/// <summary>
/// A tenant's price overrides: per-model prices that win over the catalog, and an optional default
/// price for models the catalog does not know (when null, an unknown model is an error).
/// Keys are model names as callers send them (case-insensitive); an override keyed by a catalog id
/// also applies to that entry's aliases and prefixed names.
/// </summary>
public sealed class PriceOverrides
{
    private readonly Dictionary<string, ModelOverride> _models;

    public PriceOverrides(IEnumerable<KeyValuePair<string, ModelOverride>>? models = null, ModelOverride? tenantDefault = null)
    {
        _models = new Dictionary<string, ModelOverride>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, model) in models ?? [])
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("An override needs a model name.", nameof(models));
            if (model.Prices.Count == 0) throw new ArgumentException($"The override of '{name}' has no prices.", nameof(models));
            if (!_models.TryAdd(name.Trim(), model)) throw new ArgumentException($"'{name}' is overridden twice.", nameof(models));
        }
        if (tenantDefault is { Prices.Count: 0 }) throw new ArgumentException("The tenant default has no prices.", nameof(tenantDefault));
        TenantDefault = tenantDefault;
    }

    public static PriceOverrides None { get; } = new();

    public IReadOnlyDictionary<string, ModelOverride> Models => _models;

    /// <summary>The price of models neither the catalog nor <see cref="Models"/> knows; null = such a model is an error.</summary>
    public ModelOverride? TenantDefault { get; }

    internal ModelOverride? Find(string name) => _models.GetValueOrDefault(name);

    /// <summary>
    /// Reads overrides from JSON: <c>{ "models": { "&lt;name&gt;": &lt;override&gt;, … }, "default": &lt;override&gt; }</c>,
    /// where an override is a price entry (the catalog's fields: input, cachedInput, cacheWrite5m,
    /// cacheWrite1h, output, reasoning, tiers, longContext; effectiveFrom/source/asOf optional) or
    /// <c>{ "prices": [ entry, … ] }</c>, plus optional "encoding", "charsPerToken" and "usageShape".
    /// </summary>
    /// <param name="fallbackTokenizer">The fallback an override with "encoding": "none" starts from (the catalog's).</param>
    /// <exception cref="PriceCatalogFormatException">The document does not follow the format.</exception>
    public static PriceOverrides Parse(string json, TokenizerSpec? fallbackTokenizer = null)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new PriceCatalogFormatException($"Price overrides are not valid JSON: {e.Message}", e); }
        using (document) return Read(document.RootElement, fallbackTokenizer ?? TokenizerSpec.Fallback(4m, 0.25m));
    }

    internal static PriceOverrides Read(JsonElement root, TokenizerSpec fallback)
    {
        var top = JsonFields.Object(root, "$");
        top.AllowOnly("models", "default");
        var models = new List<KeyValuePair<string, ModelOverride>>();
        if (top.Optional("models") is { } modelsElement)
        {
            var block = JsonFields.Object(modelsElement, top.At("models"));
            foreach (var property in modelsElement.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
                models.Add(new(property.Name, ReadOverride(JsonFields.Object(property.Value, block.At(property.Name)), fallback)));
        }
        var tenantDefault = top.Optional("default") is { } d ? ReadOverride(JsonFields.Object(d, top.At("default")), fallback) : null;
        try { return new PriceOverrides(models, tenantDefault); }
        catch (ArgumentException e) { throw new PriceCatalogFormatException($"$.models: {e.Message}", e); }
    }

    private static ModelOverride ReadOverride(JsonFields block, TokenizerSpec fallback)
    {
        var tokenizer = CatalogReader.ReadTokenizer(block, fallback, providerRatio: null);
        var shape = CatalogReader.ReadShape(block);
        if (CatalogReader.ReadPrices(block, requireProvenance: false) is { } prices)
        {
            block.AllowOnly("prices", "encoding", "charsPerToken", "usageShape");
            return new ModelOverride(prices, tokenizer, shape);
        }
        // An inline price entry, beside the override-only fields.
        var sheet = PriceSheetReader.Read(block.Element, block.Path, requireProvenance: false, "encoding", "charsPerToken", "usageShape");
        return ModelOverride.Of(sheet, tokenizer, shape);
    }
}
