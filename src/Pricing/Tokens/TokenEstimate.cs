namespace BudgetActors.Pricing;

/// <summary>A token count and how far it can be trusted.</summary>
/// <param name="Exact">True when every part was counted with the model's own tokenizer and OpenAI's documented chat framing.</param>
/// <param name="Encoding">The encoding used, e.g. "o200k_base", or "fallback(chars/4)".</param>
/// <param name="ErrorMargin">Relative error the count is believed to stay within (0 when exact; 0.25 = ±25%).</param>
public sealed record TokenEstimate(long Tokens, bool Exact, string Encoding, decimal ErrorMargin)
{
    /// <summary>The count raised by the error margin: what a cautious reservation can hold.</summary>
    public long UpperBound => (long)Math.Ceiling(Tokens * (1m + ErrorMargin));
}

/// <summary>One chat message of a request.</summary>
/// <param name="Role">system, developer, user, assistant or tool.</param>
/// <param name="Content">Text content (null for an assistant message that only calls tools).</param>
/// <param name="Name">The optional participant name.</param>
public sealed record ChatMessage(string Role, string? Content, string? Name = null);
