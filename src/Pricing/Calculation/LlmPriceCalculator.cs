namespace BudgetActors.Pricing;

/// <summary>
/// Prices LLM token counts against a catalog (and a tenant's overrides). Stateless apart from the
/// catalog it reads; thread-safe.
/// </summary>
public sealed class LlmPriceCalculator(PriceCatalog catalog)
{
    public PriceCatalog Catalog => catalog;

    /// <summary>
    /// The most a request may cost: <paramref name="inputTokens"/> at the input price plus
    /// <paramref name="maxOutputTokens"/> at the output price (or the reasoning price, when the model
    /// prices reasoning higher: the estimate must not fall short), at long-context rates when the
    /// input is above the model's threshold. This is what a reservation holds.
    /// </summary>
    /// <exception cref="UnknownModelException"/>
    /// <exception cref="UnsupportedTierException"/>
    /// <exception cref="InvalidUsageException">A negative count.</exception>
    public LlmCost PriceEstimate(string model, long inputTokens, long maxOutputTokens, DateTimeOffset at,
        ServiceTier tier = ServiceTier.Standard, PriceOverrides? overrides = null) =>
        PriceEstimate(catalog.Resolve(model, at, overrides), inputTokens, maxOutputTokens, tier);

    /// <summary>As <see cref="PriceEstimate(string,long,long,DateTimeOffset,ServiceTier,PriceOverrides?)"/>, for an already resolved price.</summary>
    public static LlmCost PriceEstimate(PriceResolution price, long inputTokens, long maxOutputTokens, ServiceTier tier = ServiceTier.Standard)
    {
        BillableTokens.NotNegative(inputTokens, "inputTokens");
        BillableTokens.NotNegative(maxOutputTokens, "maxOutputTokens");
        var tokens = new BillableTokens(inputTokens, 0, 0, 0, maxOutputTokens, 0);
        return Charge(price, tokens, tier, rates => rates with { Output = Math.Max(rates.Output, rates.Reasoning) });
    }

    /// <summary>What a finished call cost, from the usage its provider reported.</summary>
    /// <param name="at">When the call happened: picks the price entry in effect.</param>
    /// <exception cref="UnknownModelException"/>
    /// <exception cref="UnsupportedTierException"/>
    /// <exception cref="InvalidUsageException">Negative counts, or parts larger than the whole for the usage's shape.</exception>
    public LlmCost PriceUsage(LlmUsage usage, DateTimeOffset at, PriceOverrides? overrides = null) =>
        PriceUsage(catalog.Resolve(usage.Model, at, overrides), usage);

    /// <summary>As <see cref="PriceUsage(LlmUsage,DateTimeOffset,PriceOverrides?)"/>, for an already resolved price.</summary>
    public static LlmCost PriceUsage(PriceResolution price, LlmUsage usage) =>
        Charge(price, BillableTokens.From(usage, usage.Shape ?? price.UsageShape), usage.Tier, rates => rates);

    private static LlmCost Charge(PriceResolution price, BillableTokens tokens, ServiceTier tier, Func<TokenRates, TokenRates> adjust)
    {
        if (!price.Prices.Tiers.TryGetValue(tier, out var tierPrices)) throw new UnsupportedTierException(price.ModelId, tier);

        // Above the threshold the long-context rates apply to every token of the request, not just the excess.
        var longContext = tierPrices.IsLongContext(tokens.Prompt);
        var rates = adjust(tierPrices.RatesFor(tokens.Prompt));

        List<CostComponent> components = [];
        void Add(CostComponentKind kind, long count, decimal ratePerMillion)
        {
            if (count > 0) components.Add(new(kind, count, ratePerMillion, count * ratePerMillion / 1_000_000m));
        }
        Add(CostComponentKind.Input, tokens.Input, rates.Input);
        Add(CostComponentKind.CachedInput, tokens.CachedInput, rates.CachedInput);
        Add(CostComponentKind.CacheWrite5m, tokens.CacheWrite5m, rates.CacheWrite5m);
        Add(CostComponentKind.CacheWrite1h, tokens.CacheWrite1h, rates.CacheWrite1h);
        Add(CostComponentKind.Output, tokens.Output, rates.Output);
        Add(CostComponentKind.Reasoning, tokens.Reasoning, rates.Reasoning);

        var exact = components.Sum(c => c.Cost);
        return new LlmCost(price.ModelId, price.Origin, tier, price.Prices.EffectiveFrom, longContext,
            tokens.Prompt, tokens.Generated, Math.Round(exact, LlmCost.CostScale, MidpointRounding.ToEven), components);
    }
}
