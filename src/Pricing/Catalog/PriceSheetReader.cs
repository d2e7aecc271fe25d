using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>
/// Reads one dated price entry and resolves every default, so the calculator only multiplies.
/// Defaults: cachedInput, cacheWrite5m = input; cacheWrite1h = cacheWrite5m; reasoning = output.
/// A long-context block or a tier must restate every price the standard entry states explicitly,
/// unless a tier gives a multiplier (then what it does not restate is the standard price × multiplier):
/// a missing number in a price file must be an error, not a silent default.
/// </summary>
internal static class PriceSheetReader
{
    private static readonly string[] RateFields = ["input", "cachedInput", "cacheWrite5m", "cacheWrite1h", "output", "reasoning"];
    private static readonly string[] SheetFields = [.. RateFields, "effectiveFrom", "source", "asOf", "note", "tiers", "longContext"];
    private static readonly string[] TierFields = [.. RateFields, "multiplier", "longContext"];
    private static readonly string[] LongContextFields = [.. RateFields, "thresholdInputTokens"];

    /// <param name="requireProvenance">The catalog requires effectiveFrom, source and asOf; tenant overrides do not.</param>
    /// <param name="alsoAllowed">Properties the caller reads itself from the same object.</param>
    public static PriceSheet Read(JsonElement element, string path, bool requireProvenance, params string[] alsoAllowed)
    {
        var sheet = JsonFields.Object(element, path);
        sheet.AllowOnly([.. SheetFields, .. alsoAllowed]);

        var effectiveFrom = requireProvenance ? sheet.RequiredDate("effectiveFrom") : sheet.OptionalDate("effectiveFrom") ?? DateOnly.MinValue;
        var source = requireProvenance ? sheet.RequiredString("source") : sheet.OptionalString("source");
        var asOf = requireProvenance ? sheet.RequiredDate("asOf") : sheet.OptionalDate("asOf");
        if (source is not null && !(Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            throw JsonFields.Bad(sheet.At("source"), "expected the absolute http(s) URL of the provider's pricing page");

        var standard = ReadRates(sheet, parent: null, multiplier: null);
        var longContext = sheet.Optional("longContext") is { } lc ? ReadLongContext(JsonFields.Object(lc, sheet.At("longContext")), standard, null, null) : null;

        var tiers = new Dictionary<ServiceTier, TierPrices> { [ServiceTier.Standard] = new(standard.Rates, longContext?.Prices) };
        if (sheet.Optional("tiers") is { } tiersElement)
        {
            var tiersObject = JsonFields.Object(tiersElement, sheet.At("tiers"));
            tiersObject.AllowOnly("batch", "flex", "priority");
            foreach (var property in tiersElement.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
            {
                var tier = Enum.Parse<ServiceTier>(property.Name, ignoreCase: true);
                tiers[tier] = ReadTier(JsonFields.Object(property.Value, tiersObject.At(property.Name)), standard, longContext);
            }
        }
        return new PriceSheet(effectiveFrom, tiers, source, asOf, sheet.OptionalString("note"));
    }

    private static TierPrices ReadTier(JsonFields tier, ExplicitRates standard, ExplicitLongContext? standardLongContext)
    {
        tier.AllowOnly(TierFields);
        var multiplier = tier.OptionalDecimal("multiplier");
        if (multiplier < 0) throw JsonFields.Bad(tier.At("multiplier"), "must not be negative");
        if (multiplier is null && !RateFields.Any(tier.Has))
            throw JsonFields.Bad(tier.Path, "a tier needs a multiplier or its own prices");

        var rates = ReadRates(tier, standard, multiplier);
        LongContextPrices? longContext = null;
        if (tier.Optional("longContext") is { } lc)
        {
            if (standardLongContext is null)
                throw JsonFields.Bad(tier.At("longContext"), "a tier can only reprice long context when the standard entry has long-context prices");
            longContext = ReadLongContext(JsonFields.Object(lc, tier.At("longContext")), standardLongContext.Rates, multiplier, standardLongContext.Prices.ThresholdInputTokens).Prices;
        }
        else if (standardLongContext is not null)
        {
            longContext = multiplier is { } m
                ? standardLongContext.Prices with { Rates = standardLongContext.Prices.Rates.Times(m) }
                : throw JsonFields.Bad(tier.Path, "the model has long-context prices, so this tier needs a multiplier or its own longContext prices");
        }
        return new TierPrices(rates.Rates, longContext);
    }

    private static ExplicitLongContext ReadLongContext(JsonFields block, ExplicitRates parent, decimal? multiplier, long? inheritedThreshold)
    {
        block.AllowOnly(LongContextFields);
        var threshold = block.OptionalLong("thresholdInputTokens") ?? inheritedThreshold
            ?? throw JsonFields.Bad(block.At("thresholdInputTokens"), "is required");
        if (threshold <= 0) throw JsonFields.Bad(block.At("thresholdInputTokens"), "must be positive");
        var rates = ReadRates(block, parent, multiplier);
        return new ExplicitLongContext(new LongContextPrices(threshold, rates.Rates), rates);
    }

    /// <summary>
    /// Reads the six rates of one block. A rate the block does not state is inherited from the parent
    /// (× multiplier) when the parent stated it, or else follows the default chain from the block's own rates.
    /// </summary>
    private static ExplicitRates ReadRates(JsonFields block, ExplicitRates? parent, decimal? multiplier)
    {
        var stated = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var field in RateFields)
        {
            if (block.OptionalDecimal(field) is not { } value) continue;
            if (value < 0) throw JsonFields.Bad(block.At(field), "a price must not be negative");
            stated[field] = value;
        }

        decimal? Pick(string field, Func<TokenRates, decimal> ofParent)
        {
            if (stated.TryGetValue(field, out var own)) return own;
            if (parent is null || !parent.Stated.Contains(field)) return null;
            return multiplier is { } m
                ? ofParent(parent.Rates) * m
                : throw JsonFields.Bad(block.At(field), "is required here because the standard price states it");
        }

        var input = Pick("input", r => r.Input) ?? throw JsonFields.Bad(block.At("input"), "is required");
        var output = Pick("output", r => r.Output) ?? throw JsonFields.Bad(block.At("output"), "is required");
        var cacheWrite5m = Pick("cacheWrite5m", r => r.CacheWrite5m) ?? input;
        var rates = new TokenRates(
            Input: input,
            CachedInput: Pick("cachedInput", r => r.CachedInput) ?? input,
            CacheWrite5m: cacheWrite5m,
            CacheWrite1h: Pick("cacheWrite1h", r => r.CacheWrite1h) ?? cacheWrite5m,
            Output: output,
            Reasoning: Pick("reasoning", r => r.Reasoning) ?? output);
        var explicitFields = new HashSet<string>(stated.Keys, StringComparer.Ordinal);
        if (parent is not null) explicitFields.UnionWith(parent.Stated);
        return new ExplicitRates(rates, explicitFields);
    }

    /// <summary>Resolved rates plus which of them a price file states (children must honour those).</summary>
    private sealed record ExplicitRates(TokenRates Rates, IReadOnlySet<string> Stated);

    private sealed record ExplicitLongContext(LongContextPrices Prices, ExplicitRates Rates);
}
