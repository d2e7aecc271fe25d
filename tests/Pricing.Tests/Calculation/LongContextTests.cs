namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>
/// Above the threshold the WHOLE request is repriced (not just the tokens past it); at or below it
/// nothing changes. The threshold counts the whole prompt: uncached, cached and cache-write tokens.
/// long-model: 1.25 / 0.31 cached / 10.00 output; above 1000 prompt tokens 2.50 / 0.625 / 15.00.
/// </summary>
public sealed class LongContextTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();

    [Theory]
    // 999 × 1.25 + 100 × 10.00 = 0.00124875 + 0.001 = 0.00224875 → 0.002249
    [InlineData(999, "0.002249", false)]
    // 1000 × 1.25 + 100 × 10.00 = 0.00125 + 0.001: at the threshold is not above it
    [InlineData(1000, "0.00225", false)]
    // 1001 × 2.50 + 100 × 15.00 = 0.0025025 + 0.0015 = 0.0040025 → tie, 2 is even → 0.004002
    [InlineData(1001, "0.004002", true)]
    public void Just_below_at_and_above_the_threshold(long inputTokens, string expected, bool longContext)
    {
        var cost = _calculator.PriceUsage(new LlmUsage("long-model", inputTokens, 100), TestCatalog.Now);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost.Cost);
        Assert.Equal(longContext, cost.LongContext);
    }

    [Fact]
    public void Cached_tokens_count_toward_the_threshold_and_are_repriced_too()
    {
        // Gemini shape: 1001 prompt tokens of which 401 cached. 600 × 2.50 + 401 × 0.625 + 100 × 15.00
        // = 0.0015 + 0.000250625 + 0.0015 = 0.003250625 → 0.003251
        var gemini = _calculator.PriceUsage(new LlmUsage("long-model", 1001, 100, CachedInputTokens: 401), TestCatalog.Now);
        Assert.True(gemini.LongContext);
        Assert.Equal(0.003251m, gemini.Cost);

        // The same call reported the Anthropic way: 600 uncached beside 401 cached still makes 1001.
        var anthropic = _calculator.PriceUsage(new LlmUsage("long-model", 600, 100, CachedInputTokens: 401, Shape: UsageShape.Anthropic), TestCatalog.Now);
        Assert.True(anthropic.LongContext);
        Assert.Equal(gemini.Cost, anthropic.Cost);
    }

    [Fact]
    public void A_multiplier_tier_scales_the_long_context_prices()
    {
        // Half of 0.0040025 = 0.00200125 → 0.002001
        var cost = _calculator.PriceUsage(new LlmUsage("long-model", 1001, 100, Tier: ServiceTier.Batch), TestCatalog.Now);
        Assert.True(cost.LongContext);
        Assert.Equal(0.002001m, cost.Cost);
    }

    [Fact]
    public void Output_tokens_do_not_count_toward_the_threshold()
    {
        var cost = _calculator.PriceUsage(new LlmUsage("long-model", 1000, 5000), TestCatalog.Now);
        Assert.False(cost.LongContext);
        Assert.Equal(0.05125m, cost.Cost); // 1000 × 1.25 + 5000 × 10.00, per million
    }

    [Fact]
    public void Shipped_gemini_2_5_pro_at_200k()
    {
        var at = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var calculator = new LlmPriceCalculator(PriceCatalog.LoadDefault());
        // 200,000 × 1.25 + 1000 × 10.00 = 0.25 + 0.01
        Assert.Equal(0.26m, calculator.PriceUsage(new LlmUsage("gemini-2.5-pro", 200_000, 1000), at).Cost);
        // 200,001 × 2.50 + 1000 × 15.00 = 0.5000025 + 0.015 = 0.5150025 → tie, 2 is even → 0.515002
        Assert.Equal(0.515002m, calculator.PriceUsage(new LlmUsage("gemini-2.5-pro", 200_001, 1000), at).Cost);
    }
}
