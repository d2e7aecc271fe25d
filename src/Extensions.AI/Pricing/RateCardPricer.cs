namespace BudgetActors.Extensions.AI;

/// <summary>
/// An <see cref="ILlmPricer"/> from a table of per-model rates. Tokens are every input and output token;
/// operations are one per call; cost is rounded to micro-units like the server's. Estimates count the
/// prompt with <see cref="TokenEstimate"/> (rough), plus the whole <see cref="LlmEstimate.MaxOutputTokens"/>.
/// </summary>
/// <param name="fallback">Rates for a model not in the table; without them such a model is an error.</param>
public sealed class RateCardPricer(IReadOnlyDictionary<string, ModelRates> rates, ModelRates? fallback = null) : ILlmPricer
{
    private const decimal Million = 1_000_000m;

    public Amount PriceEstimate(LlmEstimate estimate)
    {
        var r = RatesOf(estimate.Model);
        var input = TokenEstimate.ForPrompt(estimate);
        var cost = input * r.InputPerMillion / Million + estimate.MaxOutputTokens * r.OutputPerMillion / Million;
        return new Amount(Amount.RoundCost(cost), input + estimate.MaxOutputTokens, 1);
    }

    /// <remarks>
    /// OpenAI shape: cached input is part of <see cref="LlmUsage.InputTokens"/>. Anthropic shape: it is
    /// not, and neither are cache writes. Reasoning tokens are inside the output in both.
    /// </remarks>
    public Amount PriceUsage(LlmUsage usage)
    {
        var r = RatesOf(usage.Model);
        var cached = usage.CachedInputTokens;
        var uncached = usage.Shape is null or LlmUsageShape.OpenAI ? Math.Max(0, usage.InputTokens - cached) : usage.InputTokens;
        var cacheWrites = usage.CacheWriteTokens;
        var cost = (uncached * r.InputPerMillion
                    + cached * (r.CachedInputPerMillion ?? r.InputPerMillion)
                    + cacheWrites * (r.CacheWritePerMillion ?? r.InputPerMillion)
                    + usage.OutputTokens * r.OutputPerMillion) / Million;
        return new Amount(Amount.RoundCost(cost), uncached + cached + cacheWrites + usage.OutputTokens, 1);
    }

    private ModelRates RatesOf(string model) =>
        rates.TryGetValue(model, out var r) ? r
        : fallback ?? throw new InvalidOperationException($"No rates for model '{model}' in the local rate card, and no fallback rates.");
}
