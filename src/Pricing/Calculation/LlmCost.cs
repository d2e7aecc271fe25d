namespace BudgetActors.Pricing;

/// <summary>The kinds of billable tokens, each with its own price.</summary>
public enum CostComponentKind
{
    Input,
    CachedInput,
    CacheWrite5m,
    CacheWrite1h,
    Output,
    Reasoning,
}

/// <summary>One line of a charge: tokens × price per million. <see cref="Cost"/> is exact (not rounded).</summary>
public sealed record CostComponent(CostComponentKind Kind, long Tokens, decimal RatePerMillion, decimal Cost);

/// <summary>What an LLM call costs (or, for an estimate, may cost at most) and why.</summary>
/// <param name="Model">The model id the price belongs to (the catalog's canonical id when it knows the model).</param>
/// <param name="PriceEffectiveFrom">Effective date of the price entry used.</param>
/// <param name="LongContext">Whether the whole request was priced at the long-context rates.</param>
/// <param name="InputTokens">All prompt tokens: uncached, cached reads and cache writes.</param>
/// <param name="OutputTokens">All generated tokens, reasoning included.</param>
/// <param name="Cost">Sum of the components rounded to 6 decimal places, half to even.</param>
/// <param name="Components">The non-zero lines of the charge, in <see cref="CostComponentKind"/> order.</param>
public sealed record LlmCost(
    string Model,
    PriceOrigin Origin,
    ServiceTier Tier,
    DateOnly PriceEffectiveFrom,
    bool LongContext,
    long InputTokens,
    long OutputTokens,
    decimal Cost,
    IReadOnlyList<CostComponent> Components)
{
    /// <summary>The places money is kept to, everywhere in BudgetActors.</summary>
    public const int CostScale = 6;

    public long TotalTokens => InputTokens + OutputTokens;
}
