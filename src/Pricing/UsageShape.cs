namespace BudgetActors.Pricing;

/// <summary>
/// How a provider's usage report relates its token counts to each other. The same real request is
/// reported differently by different providers; the shape says how to read the numbers so that it
/// is billed the same whichever way it was reported.
/// </summary>
public enum UsageShape
{
    /// <summary>
    /// OpenAI (and OpenAI-compatible APIs such as DeepSeek, xAI, Mistral, Together): <c>prompt_tokens</c>
    /// already contains the cached tokens (and any cache-write tokens), and <c>completion_tokens</c>
    /// already contains the reasoning tokens.
    /// </summary>
    OpenAI,

    /// <summary>
    /// Anthropic (also Bedrock and Vertex for Claude): <c>input_tokens</c> counts only uncached input;
    /// <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c> come on top of it.
    /// Extended-thinking tokens are part of <c>output_tokens</c>.
    /// </summary>
    Anthropic,

    /// <summary>
    /// Google Gemini: <c>promptTokenCount</c> contains <c>cachedContentTokenCount</c>, but
    /// <c>thoughtsTokenCount</c> is reported beside <c>candidatesTokenCount</c>, not inside it.
    /// </summary>
    Gemini,
}
