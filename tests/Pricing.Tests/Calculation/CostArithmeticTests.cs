namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>
/// Every component priced exactly: tokens × price per million / 1,000,000 in decimal, the total
/// rounded once to 6 places, half to even. Expected values are worked out by hand in the comments.
/// </summary>
public sealed class CostArithmeticTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();

    // cache-model: input 3.00, cached 0.30, write 5m 3.75, write 1h 6.00, output 15.00 (reasoning = output).
    private static readonly LlmUsage AnthropicUsage = new("cache-model", InputTokens: 1000, OutputTokens: 700,
        CachedInputTokens: 2000, CacheWrite5mTokens: 500, CacheWrite1hTokens: 100, ReasoningTokens: 200);

    [Fact]
    public void Each_component_is_priced_exactly()
    {
        var cost = _calculator.PriceUsage(AnthropicUsage, TestCatalog.Now);

        Assert.Equal(
        [
            new CostComponent(CostComponentKind.Input, 1000, 3.00m, 0.003m),           // 1000 × 3.00 / 1e6
            new CostComponent(CostComponentKind.CachedInput, 2000, 0.30m, 0.0006m),    // 2000 × 0.30 / 1e6
            new CostComponent(CostComponentKind.CacheWrite5m, 500, 3.75m, 0.001875m),  // 500 × 3.75 / 1e6
            new CostComponent(CostComponentKind.CacheWrite1h, 100, 6.00m, 0.0006m),    // 100 × 6.00 / 1e6
            new CostComponent(CostComponentKind.Output, 500, 15.00m, 0.0075m),         // (700 − 200 reasoning) × 15 / 1e6
            new CostComponent(CostComponentKind.Reasoning, 200, 15.00m, 0.003m),       // 200 × 15 / 1e6
        ], cost.Components);
        Assert.Equal(0.016575m, cost.Cost);
        Assert.Equal(3600, cost.InputTokens);   // 1000 + 2000 + 500 + 100
        Assert.Equal(700, cost.OutputTokens);
        Assert.Equal(4300, cost.TotalTokens);
        Assert.Equal("cache-model", cost.Model);
        Assert.Equal(PriceOrigin.Catalog, cost.Origin);
        Assert.False(cost.LongContext);
    }

    [Fact]
    public void The_total_rounds_half_to_even_at_six_places()
    {
        // Batch halves every price: 0.016575 / 2 = 0.0082875, a tie at the 7th place; 7 is odd, so up to 0.008288.
        var batch = _calculator.PriceUsage(AnthropicUsage with { Tier = ServiceTier.Batch }, TestCatalog.Now);
        Assert.Equal(0.0082875m, batch.Components.Sum(c => c.Cost));
        Assert.Equal(0.008288m, batch.Cost);

        // half-model: 0.5 per million. 1 token = 0.0000005, a tie with an even (0) 6th digit: down to 0.
        Assert.Equal(0.000000m, _calculator.PriceUsage(new LlmUsage("half-model", 1, 0), TestCatalog.Now).Cost);
        // 3 tokens = 0.0000015: tie, 6th digit 1 is odd: up to 0.000002 (half-away-from-zero would agree; 5 tokens tells them apart).
        Assert.Equal(0.000002m, _calculator.PriceUsage(new LlmUsage("half-model", 3, 0), TestCatalog.Now).Cost);
        // 5 tokens = 0.0000025: tie, 6th digit 2 is even: stays 0.000002 (away-from-zero would give 0.000003).
        Assert.Equal(0.000002m, _calculator.PriceUsage(new LlmUsage("half-model", 5, 0), TestCatalog.Now).Cost);
    }

    [Fact]
    public void Components_stay_exact_below_the_rounding()
    {
        // 7 tokens at 0.5 / M = 0.0000035 exactly in the component; the total rounds to 0.000004.
        var cost = _calculator.PriceUsage(new LlmUsage("half-model", 7, 0), TestCatalog.Now);
        Assert.Equal(0.0000035m, Assert.Single(cost.Components).Cost);
        Assert.Equal(0.000004m, cost.Cost);
    }

    [Fact]
    public void Huge_counts_stay_exact()
    {
        // 10^15 output tokens at 15.00 / M = 15,000,000,000 exactly; plus one input token at 3.00 / M.
        var cost = _calculator.PriceUsage(new LlmUsage("cache-model", 1, 1_000_000_000_000_000), TestCatalog.Now);
        Assert.Equal(15_000_000_000.000003m, cost.Cost);
    }

    [Fact]
    public void A_zero_usage_costs_nothing_and_lists_nothing()
    {
        var cost = _calculator.PriceUsage(new LlmUsage("cache-model", 0, 0), TestCatalog.Now);
        Assert.Equal(0m, cost.Cost);
        Assert.Empty(cost.Components);
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        var error = Assert.Throws<InvalidUsageException>(() => _calculator.PriceUsage(new LlmUsage("cache-model", 10, -1), TestCatalog.Now));
        Assert.Contains("outputTokens", error.Message);
        Assert.Throws<InvalidUsageException>(() => _calculator.PriceUsage(new LlmUsage("cache-model", 10, 1, CachedInputTokens: -5), TestCatalog.Now));
    }
}
