namespace BudgetActors.Pricing;

/// <summary>A usage with every count made disjoint: each token is in exactly one field.</summary>
internal readonly record struct BillableTokens(long Input, long CachedInput, long CacheWrite5m, long CacheWrite1h, long Output, long Reasoning)
{
    /// <summary>The whole prompt: what long-context thresholds compare against.</summary>
    public long Prompt => Input + CachedInput + CacheWrite5m + CacheWrite1h;

    public long Generated => Output + Reasoning;

    /// <summary>Reads a provider's usage report according to its shape (see <see cref="UsageShape"/>).</summary>
    public static BillableTokens From(LlmUsage usage, UsageShape shape)
    {
        NotNegative(usage.InputTokens, "inputTokens");
        NotNegative(usage.OutputTokens, "outputTokens");
        NotNegative(usage.CachedInputTokens, "cachedInputTokens");
        NotNegative(usage.CacheWrite5mTokens, "cacheWrite5mTokens");
        NotNegative(usage.CacheWrite1hTokens, "cacheWrite1hTokens");
        NotNegative(usage.ReasoningTokens, "reasoningTokens");

        var cacheParts = usage.CachedInputTokens + usage.CacheWrite5mTokens + usage.CacheWrite1hTokens;
        var uncached = shape == UsageShape.Anthropic ? usage.InputTokens : usage.InputTokens - cacheParts;
        if (uncached < 0)
            throw new InvalidUsageException(
                $"In the {shape} usage shape inputTokens ({usage.InputTokens}) include the cached and cache-write tokens, " +
                $"but those add up to {cacheParts}.");

        var answer = shape == UsageShape.Gemini ? usage.OutputTokens : usage.OutputTokens - usage.ReasoningTokens;
        if (answer < 0)
            throw new InvalidUsageException(
                $"In the {shape} usage shape outputTokens ({usage.OutputTokens}) include the reasoning tokens ({usage.ReasoningTokens}).");

        return new(uncached, usage.CachedInputTokens, usage.CacheWrite5mTokens, usage.CacheWrite1hTokens, answer, usage.ReasoningTokens);
    }

    internal static void NotNegative(long tokens, string name)
    {
        if (tokens < 0) throw new InvalidUsageException($"{name} must not be negative (was {tokens}).");
    }
}
