namespace BudgetActors.Extensions.AI;

/// <summary>
/// A rough token count for when no tokenizer and no provider count is at hand: one token per four
/// characters, rounded up, plus a small per-message overhead. It is only used for the fallbacks this
/// package documents (the output of a response without usage or of an abandoned stream, local pricing
/// of an estimate, the input when the reservation's answer carries no count); the server counts
/// <c>llm</c> estimates with a real tokenizer, and the middleware charges unreported input at that count.
/// </summary>
public static class TokenEstimate
{
    /// <summary>Characters per token of English-like text in the common BPE tokenizers.</summary>
    public const int CharactersPerToken = 4;

    /// <summary>Role markers and separators a chat format adds around each message.</summary>
    public const int PerMessageOverhead = 4;

    /// <summary>The tokens that prime the assistant's reply.</summary>
    public const int PerPromptOverhead = 3;

    public static long FromCharacters(long characters) =>
        characters <= 0 ? 0 : (characters + CharactersPerToken - 1) / CharactersPerToken;

    public static long FromText(string? text) => FromCharacters(text?.Length ?? 0);

    /// <summary>The prompt of an <see cref="LlmEstimate"/>: its messages (or its prompt text) and its tool definitions.</summary>
    public static long ForPrompt(LlmEstimate estimate)
    {
        var tokens = estimate.Messages.IsDefaultOrEmpty
            ? FromText(estimate.Prompt) + PerPromptOverhead
            : ForMessages(estimate.Messages);
        if (!estimate.Tools.IsDefaultOrEmpty)
        {
            tokens += estimate.Tools.Sum(FromText);
        }

        return tokens;
    }

    public static long ForMessages(IEnumerable<PromptMessage> messages) =>
        messages.Sum(m => FromText(m.Content) + FromText(m.Name) + PerMessageOverhead) + PerPromptOverhead;
}
