using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// How a request states its amount. Grains only ever see a priced <see cref="Amount"/>: an
/// <c>IAmountPricer</c> in the admission layer turns a spec into one, so new kinds of amount
/// (LLM prompts, provider usage, job resources) plug in without touching the grains.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.AmountSpec")]
public abstract record AmountSpec;

/// <summary>An amount given directly: the <c>estimate</c> or <c>actual</c> of the HTTP API.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ExplicitAmount")]
public sealed record ExplicitAmount([property: Id(0)] Amount Amount) : AmountSpec;

/// <summary>One message of a chat prompt, as far as counting its tokens goes.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PromptMessage")]
public sealed record PromptMessage(
    [property: Id(0)] string Role,
    [property: Id(1)] string Content,
    [property: Id(2)] string? Name = null);

/// <summary>
/// The <c>llm</c> estimate of API.md: a model call before it happens. Priced as the prompt's tokens
/// (counted with the model's tokenizer) plus <see cref="MaxOutputTokens"/>, at the model's rates.
/// </summary>
/// <param name="Tools">Tool or function definitions sent with the prompt, as JSON text; they count as input.</param>
/// <param name="Tier">Service tier: null or "standard", "batch", "flex", "priority".</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.LlmEstimate")]
public sealed record LlmEstimate(
    [property: Id(0)] string Model,
    [property: Id(1)] ImmutableArray<PromptMessage> Messages,
    [property: Id(2)] string? Prompt,
    [property: Id(3)] long MaxOutputTokens,
    [property: Id(4)] ImmutableArray<string> Tools,
    [property: Id(5)] string? Tier = null) : AmountSpec;

/// <summary>How a provider reports cached input: OpenAI counts it inside the input tokens, Anthropic outside.</summary>
[GenerateSerializer, Alias("BudgetActors.LlmUsageShape")]
public enum LlmUsageShape
{
    OpenAI,
    Anthropic,
}

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

/// <summary>The <c>jobUsage</c> actual of API.md: the resources a job used, priced by the tenant's job cost model.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.JobUsage")]
public sealed record JobUsage(
    [property: Id(0)] decimal CpuSeconds,
    [property: Id(1)] decimal MemoryMbSeconds,
    [property: Id(2)] long PayloadBytes,
    [property: Id(3)] long Ops,
    [property: Id(4)] long NetworkBytes) : AmountSpec;
