using System.Collections.Immutable;

namespace BudgetActors;

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
