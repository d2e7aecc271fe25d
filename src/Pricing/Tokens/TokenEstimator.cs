using Microsoft.ML.Tokenizers;

namespace BudgetActors.Pricing;

/// <summary>
/// Counts prompt tokens before a request is sent, so a reservation can hold its cost. Exact for
/// models with a tiktoken encoding (o200k_base, cl100k_base: the counts equal OpenAI's tiktoken);
/// an estimate with a stated error margin for every other model (see <see cref="FallbackTokenCounter"/>).
/// Thread-safe: the tokenizers are shared, one per encoding, created on first use.
/// </summary>
/// <remarks>
/// Text is counted as tiktoken's <c>encode(text, allowed_special="all")</c> counts it: a special-token
/// string such as "&lt;|endoftext|&gt;" inside a message counts as one token.
/// </remarks>
public static class TokenEstimator
{
    /// <summary>Tokens that frame every chat message (&lt;|start|&gt;, the role/content separator, &lt;|end|&gt;), per OpenAI's cookbook for gpt-3.5-turbo-0613 onwards, gpt-4 and gpt-4o.</summary>
    public const int TokensPerMessage = 3;

    /// <summary>Extra token when a message carries a participant name (OpenAI cookbook).</summary>
    public const int TokensPerName = 1;

    /// <summary>Tokens that prime the reply (&lt;|start|&gt;assistant&lt;|message|&gt;), counted once per request (OpenAI cookbook).</summary>
    public const int ReplyPriming = 3;

    /// <summary>The margin stated for the tokens of tool definitions, whose rendering OpenAI does not publish.</summary>
    public const decimal ToolsErrorMargin = 0.20m;

    /// <summary>Tokens of a plain text prompt (no chat framing).</summary>
    public static TokenEstimate CountText(string text, TokenizerSpec tokenizer)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counter = Counter(tokenizer);
        var tokens = counter.Count(text);
        return counter.IsExact ? Estimate(tokenizer, tokens) : Estimate(tokenizer, 0, (tokens, tokenizer.ErrorMargin));
    }

    /// <summary>
    /// Tokens of a chat request: each message's role, content and name, plus
    /// <see cref="TokensPerMessage"/> per message (and <see cref="TokensPerName"/> when named),
    /// plus <see cref="ReplyPriming"/>, plus the tool definitions when given.
    /// </summary>
    public static TokenEstimate CountChat(IReadOnlyList<ChatMessage> messages, TokenizerSpec tokenizer, IReadOnlyList<ToolDefinition>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var counter = Counter(tokenizer);
        long chat = ReplyPriming;
        foreach (var message in messages)
        {
            chat += TokensPerMessage + counter.Count(message.Role) + counter.Count(message.Content ?? "");
            if (message.Name is { Length: > 0 } name) chat += TokensPerName + counter.Count(name);
        }
        var toolTokens = tools is { Count: > 0 } ? ToolTokenCounter.Count(tools, counter.Count, tokenizer.Encoding) : 0;
        var toolsMargin = Math.Max(ToolsErrorMargin, counter.IsExact ? 0 : tokenizer.ErrorMargin);
        return counter.IsExact
            ? Estimate(tokenizer, chat, (toolTokens, toolsMargin))
            : Estimate(tokenizer, 0, (chat, tokenizer.ErrorMargin), (toolTokens, toolsMargin));
    }

    /// <summary>Combines exactly counted tokens with estimated parts; the margin is the parts' absolute uncertainty over the total, rounded up to 0.01.</summary>
    private static TokenEstimate Estimate(TokenizerSpec tokenizer, long certain, params (long Tokens, decimal Margin)[] estimated)
    {
        var total = certain + estimated.Sum(part => part.Tokens);
        var uncertainty = estimated.Sum(part => part.Tokens * part.Margin);
        var margin = total == 0 ? 0m : Math.Ceiling(uncertainty / total * 100m) / 100m;
        var exact = tokenizer.Encoding != TokenEncoding.Fallback && uncertainty == 0;
        return new TokenEstimate(total, exact, tokenizer.Name, exact ? 0m : margin == 0 ? tokenizer.ErrorMargin : margin);
    }

    private static (bool IsExact, Func<string, long> Count) Counter(TokenizerSpec tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.Encoding == TokenEncoding.Fallback)
            return (false, text => FallbackTokenCounter.Count(text, tokenizer.CharsPerToken));
        Tokenizer bpe = TiktokenEncodings.For(tokenizer.Encoding);
        return (true, text => text.Length == 0 ? 0 : bpe.CountTokens(text));
    }
}
