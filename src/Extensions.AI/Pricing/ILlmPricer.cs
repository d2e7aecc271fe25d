namespace BudgetActors.Extensions.AI;

/// <summary>
/// Prices LLM amounts on the caller's side, for deployments whose server cannot price <c>llm</c> and
/// <c>llmUsage</c> (it answers them with a 400). See <see cref="BudgetClientPricingExtensions.WithLocalPricing"/>.
/// </summary>
public interface ILlmPricer
{
    /// <summary>The amount to hold before the call.</summary>
    Amount PriceEstimate(LlmEstimate estimate);

    /// <summary>The amount to charge after it.</summary>
    Amount PriceUsage(LlmUsage usage);
}

/// <summary>Rates of one model in currency units per million tokens.</summary>
/// <param name="CachedInputPerMillion">Input read from the provider's cache; null means the input rate.</param>
/// <param name="CacheWritePerMillion">Input written to the cache; null means the input rate.</param>
public sealed record ModelRates(
    decimal InputPerMillion,
    decimal OutputPerMillion,
    decimal? CachedInputPerMillion = null,
    decimal? CacheWritePerMillion = null);
