using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>The <c>llmUsage</c> actual of API.md: what a model call really used, as the provider reported it.</summary>
/// <param name="CacheWriteTokens">Tokens written to the prompt cache (Anthropic's 5-minute cache).</param>
/// <param name="ReasoningTokens">Reasoning tokens, billed as output; already inside <see cref="OutputTokens"/> in both shapes.</param>
/// <param name="Shape">How cached tokens are counted; null: the usual shape of the model's provider.</param>
/// <param name="CacheWrite1hTokens">Tokens written to a 1-hour prompt cache, where the provider has one.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.LlmUsage")]
public sealed record LlmUsage(
    [property: Id(0)] string Model,
    [property: Id(1)] long InputTokens,
    [property: Id(2)] long OutputTokens,
    [property: Id(3)] long CachedInputTokens,
    [property: Id(4)] long CacheWriteTokens = 0,
    [property: Id(5)] long ReasoningTokens = 0,
    [property: Id(6)] LlmUsageShape? Shape = null,
    [property: Id(7)] string? Tier = null,
    [property: Id(8)] long CacheWrite1hTokens = 0) : AmountSpec;
