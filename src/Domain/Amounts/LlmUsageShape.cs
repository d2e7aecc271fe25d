using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>How a provider reports cached input: OpenAI counts it inside the input tokens, Anthropic outside.</summary>
[GenerateSerializer, Alias("BudgetActors.LlmUsageShape")]
public enum LlmUsageShape
{
    OpenAI,
    Anthropic,
}
