namespace BudgetActors.Pricing;

/// <summary>
/// The tokens a finished LLM call used, as its provider reported them. Which counts contain which
/// is given by <see cref="Shape"/> (null: the model's provider's usual shape, from the catalog).
/// </summary>
/// <param name="CachedInputTokens">Prompt tokens read from the provider's cache (billed at the cached-input price).</param>
/// <param name="CacheWrite5mTokens">Prompt tokens written to a 5-minute cache (Anthropic cache_creation_input_tokens).</param>
/// <param name="CacheWrite1hTokens">Prompt tokens written to a 1-hour cache (Anthropic ephemeral_1h_input_tokens).</param>
/// <param name="ReasoningTokens">Reasoning/thinking tokens; billed as output unless the model prices them apart.</param>
public sealed record LlmUsage(
    string Model,
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens = 0,
    long CacheWrite5mTokens = 0,
    long CacheWrite1hTokens = 0,
    long ReasoningTokens = 0,
    UsageShape? Shape = null,
    ServiceTier Tier = ServiceTier.Standard);
