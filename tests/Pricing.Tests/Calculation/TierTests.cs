namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>Batch, flex and priority tiers: multipliers or explicit prices; a tier a model lacks is an error.</summary>
public sealed class TierTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();

    // tiered-model, OpenAI shape: 10,000 prompt tokens (4,000 cached), 2,000 output tokens (500 reasoning).
    private static LlmUsage Call(ServiceTier tier) => new("tiered-model", 10_000, 2000, CachedInputTokens: 4000, ReasoningTokens: 500, Tier: tier);

    [Theory]
    // standard: 6000 × 2.00 + 4000 × 0.50 + 2000 × 8.00 = 0.012 + 0.002 + 0.016
    [InlineData(ServiceTier.Standard, "0.030")]
    // batch (× 0.5): half of the above
    [InlineData(ServiceTier.Batch, "0.015")]
    // flex (explicit): 6000 × 1.10 + 4000 × 0.30 + 2000 × 4.40 = 0.0066 + 0.0012 + 0.0088
    [InlineData(ServiceTier.Flex, "0.0166")]
    // priority (explicit): 6000 × 3.50 + 4000 × 0.875 + 2000 × 14.00 = 0.021 + 0.0035 + 0.028
    [InlineData(ServiceTier.Priority, "0.0525")]
    public void Each_tier_has_its_prices(ServiceTier tier, string expected)
    {
        var cost = _calculator.PriceUsage(Call(tier), TestCatalog.Now);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost.Cost);
        Assert.Equal(tier, cost.Tier);
    }

    [Fact]
    public void A_tier_the_model_does_not_offer_is_an_error_naming_both()
    {
        var error = Assert.Throws<UnsupportedTierException>(() =>
            _calculator.PriceUsage(new LlmUsage("cache-model", 10, 10, Tier: ServiceTier.Flex), TestCatalog.Now));
        Assert.Equal("cache-model", error.Model);
        Assert.Equal(ServiceTier.Flex, error.Tier);
        Assert.Contains("'flex'", error.Message);
    }

    [Fact]
    public void A_multiplier_tier_scales_every_component()
    {
        var batch = TestCatalog.Load().Get("cache-model").PriceAt(TestCatalog.Now).Tiers[ServiceTier.Batch].Rates;
        Assert.Equal(new TokenRates(1.50m, 0.15m, 1.875m, 3.00m, 7.50m, 7.50m), batch);
    }

    [Fact]
    public void Shipped_gpt_5_flex_and_priority_prices()
    {
        var sheet = PriceCatalog.LoadDefault().Get("gpt-5").PriceAt(new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(0.625m, sheet.Tiers[ServiceTier.Flex].Rates.Input);
        Assert.Equal(20.00m, sheet.Tiers[ServiceTier.Priority].Rates.Output);
        Assert.Equal(0.0625m, sheet.Tiers[ServiceTier.Batch].Rates.CachedInput);
    }
}
