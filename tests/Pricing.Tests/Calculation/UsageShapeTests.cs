namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>
/// The same real call reported the OpenAI way (cached inside input, reasoning inside output), the
/// Anthropic way (cache reads and writes beside input) or the Gemini way (thoughts beside output)
/// costs the same. Reasoning is billed as output unless the model prices it apart.
/// </summary>
public sealed class UsageShapeTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();

    // One real call on cache-model: 1000 uncached, 2000 cache-read, 500 + 100 cache-write input tokens; 500 answer + 200 reasoning tokens.
    public static TheoryData<LlmUsage> SameCallInEveryShape => new()
    {
        new LlmUsage("cache-model", 1000, 700, 2000, 500, 100, 200, UsageShape.Anthropic),
        new LlmUsage("cache-model", 3600, 700, 2000, 500, 100, 200, UsageShape.OpenAI),
        new LlmUsage("cache-model", 3600, 500, 2000, 500, 100, 200, UsageShape.Gemini),
    };

    [Theory]
    [MemberData(nameof(SameCallInEveryShape))]
    public void Every_shape_bills_the_same_call_the_same(LlmUsage usage)
    {
        var cost = _calculator.PriceUsage(usage, TestCatalog.Now);
        Assert.Equal(0.016575m, cost.Cost);
        Assert.Equal(3600, cost.InputTokens);
        Assert.Equal(700, cost.OutputTokens);
    }

    [Fact]
    public void Cached_tokens_inside_input_are_not_billed_twice()
    {
        // tiered-model (OpenAI shape by default): 10,000 prompt tokens of which 4,000 cached.
        // 6000 × 2.00 + 4000 × 0.50 = 0.012 + 0.002; output 1000 × 8.00 = 0.008. Total 0.022.
        var openAi = _calculator.PriceUsage(new LlmUsage("tiered-model", 10_000, 1000, CachedInputTokens: 4000), TestCatalog.Now);
        Assert.Equal(0.022m, openAi.Cost);

        // The same call the Anthropic way: 6,000 uncached beside 4,000 cached.
        var anthropic = _calculator.PriceUsage(new LlmUsage("tiered-model", 6000, 1000, CachedInputTokens: 4000, Shape: UsageShape.Anthropic), TestCatalog.Now);
        Assert.Equal(openAi.Cost, anthropic.Cost);
    }

    [Fact]
    public void The_model_s_provider_decides_the_shape_when_the_usage_does_not_say()
    {
        // cache-model is an Anthropic model: 1000 input + 2000 cached are separate (3000 prompt tokens).
        var anthropicDefault = _calculator.PriceUsage(new LlmUsage("cache-model", 1000, 0, CachedInputTokens: 2000), TestCatalog.Now);
        Assert.Equal(3000, anthropicDefault.InputTokens);
        Assert.Equal(0.0036m, anthropicDefault.Cost); // 1000 × 3.00 + 2000 × 0.30, per million

        // Told it is OpenAI-shaped, the same numbers mean 1000 prompt tokens, 2000 of them cached: impossible.
        Assert.Throws<InvalidUsageException>(() =>
            _calculator.PriceUsage(new LlmUsage("cache-model", 1000, 0, CachedInputTokens: 2000, Shape: UsageShape.OpenAI), TestCatalog.Now));
    }

    [Fact]
    public void Reasoning_tokens_bill_as_output()
    {
        // tiered-model has no reasoning price: 2000 output tokens cost 2000 × 8.00 whether 500 of them reasoned or not.
        var withReasoning = _calculator.PriceUsage(new LlmUsage("tiered-model", 0, 2000, ReasoningTokens: 500), TestCatalog.Now);
        var without = _calculator.PriceUsage(new LlmUsage("tiered-model", 0, 2000), TestCatalog.Now);
        Assert.Equal(0.016m, withReasoning.Cost);
        Assert.Equal(without.Cost, withReasoning.Cost);
        Assert.Contains(withReasoning.Components, c => c is { Kind: CostComponentKind.Reasoning, Tokens: 500, RatePerMillion: 8.00m });
    }

    [Fact]
    public void A_model_with_its_own_reasoning_price_bills_reasoning_at_it()
    {
        // thinking-model (Gemini shape): 1000 × 0.15 + 200 answer × 0.60 + 300 thoughts × 3.50 = 0.00015 + 0.00012 + 0.00105.
        var cost = _calculator.PriceUsage(new LlmUsage("thinking-model", 1000, 200, ReasoningTokens: 300), TestCatalog.Now);
        Assert.Equal(0.00132m, cost.Cost);
        Assert.Equal(500, cost.OutputTokens);
    }

    [Fact]
    public void Parts_larger_than_their_whole_are_refused()
    {
        var moreCachedThanInput = new LlmUsage("tiered-model", 100, 10, CachedInputTokens: 101);
        Assert.Contains("inputTokens (100)", Assert.Throws<InvalidUsageException>(() => _calculator.PriceUsage(moreCachedThanInput, TestCatalog.Now)).Message);

        var moreReasoningThanOutput = new LlmUsage("tiered-model", 100, 10, ReasoningTokens: 11);
        Assert.Throws<InvalidUsageException>(() => _calculator.PriceUsage(moreReasoningThanOutput, TestCatalog.Now));

        // In the Gemini shape reasoning sits beside output, so more reasoning than output is fine.
        var gemini = moreReasoningThanOutput with { Shape = UsageShape.Gemini };
        Assert.Equal(21, _calculator.PriceUsage(gemini, TestCatalog.Now).OutputTokens);
    }
}
