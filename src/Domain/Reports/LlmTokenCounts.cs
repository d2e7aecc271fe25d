namespace BudgetActors.Domain.Reports;

/// <summary>
/// An LLM call's billable tokens, each token in exactly one count (however the provider reported
/// them): uncached input, cached input read, cache writes, output (reasoning not included) and reasoning.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.LlmTokenCounts")]
public sealed record LlmTokenCounts(
    [property: Id(0)] long Input,
    [property: Id(1)] long CachedInput,
    [property: Id(2)] long CacheWrite,
    [property: Id(3)] long Output,
    [property: Id(4)] long Reasoning)
{
    public long Total => Input + CachedInput + CacheWrite + Output + Reasoning;
}
