namespace BudgetActors.Pricing;

/// <summary>
/// An LLM request before it is sent: the model, its prompt (chat messages or plain text), the tools
/// it offers and the most it may generate.
/// </summary>
/// <param name="MaxOutputTokens">The request's output cap (max_tokens / max_completion_tokens / max_output_tokens), reasoning included.</param>
/// <param name="Messages">Chat messages; give these or <paramref name="Prompt"/>, not both.</param>
/// <param name="Prompt">A plain text prompt, counted as it is (no chat framing).</param>
public sealed record LlmRequest(
    string Model,
    long MaxOutputTokens,
    IReadOnlyList<ChatMessage>? Messages = null,
    string? Prompt = null,
    IReadOnlyList<ToolDefinition>? Tools = null,
    ServiceTier Tier = ServiceTier.Standard);

/// <summary>What a request may cost at most: its counted input plus its output cap, priced.</summary>
public sealed record LlmQuote(TokenEstimate Input, long MaxOutputTokens, LlmCost Cost)
{
    /// <summary>Input tokens + the output cap: the tokens a reservation holds.</summary>
    public long Tokens => Input.Tokens + MaxOutputTokens;
}

/// <summary>
/// The entry point for pricing LLM amounts: counts a request's tokens with the model's tokenizer and
/// prices them (<see cref="Quote"/>, for checks and reservations), or prices a provider's reported
/// usage (<see cref="Charge"/>, for commits and recorded usage). Thread-safe.
/// </summary>
public sealed class LlmPricing(PriceCatalog catalog)
{
    private readonly LlmPriceCalculator _calculator = new(catalog);

    /// <summary>Pricing with the catalog shipped in this assembly.</summary>
    public static LlmPricing CreateDefault() => new(PriceCatalog.LoadDefault());

    public PriceCatalog Catalog => catalog;

    /// <summary>
    /// Counts the request's input with the model's tokenizer (the tenant's override may name one) and
    /// prices input + <see cref="LlmRequest.MaxOutputTokens"/> at the model's rates in effect at <paramref name="at"/>.
    /// </summary>
    /// <exception cref="UnknownModelException"/>
    /// <exception cref="UnsupportedTierException"/>
    /// <exception cref="PricingException">No prompt, both prompt and messages, or a negative output cap.</exception>
    public LlmQuote Quote(LlmRequest request, DateTimeOffset at, PriceOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var price = catalog.Resolve(request.Model, at, overrides);
        var input = (request.Messages, request.Prompt) switch
        {
            ({ } messages, null) => TokenEstimator.CountChat(messages, price.Tokenizer, request.Tools),
            (null, { } prompt) when request.Tools is not { Count: > 0 } => TokenEstimator.CountText(prompt, price.Tokenizer),
            (null, { } prompt) => TokenEstimator.CountChat([new ChatMessage("user", prompt)], price.Tokenizer, request.Tools),
            (null, null) => throw new InvalidUsageException("An LLM estimate needs messages or a prompt."),
            _ => throw new InvalidUsageException("Give messages or a prompt, not both."),
        };
        var cost = LlmPriceCalculator.PriceEstimate(price, input.Tokens, request.MaxOutputTokens, request.Tier);
        return new LlmQuote(input, request.MaxOutputTokens, cost);
    }

    /// <summary>Prices the usage a provider reported for a finished call made at <paramref name="at"/>.</summary>
    /// <exception cref="UnknownModelException"/>
    /// <exception cref="UnsupportedTierException"/>
    /// <exception cref="InvalidUsageException"/>
    public LlmCost Charge(LlmUsage usage, DateTimeOffset at, PriceOverrides? overrides = null) =>
        _calculator.PriceUsage(usage, at, overrides);
}
