namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>An estimate (what a reservation holds): input tokens + the output cap, at the model's rates.</summary>
public sealed class EstimatePricingTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();

    [Fact]
    public void Input_plus_the_output_cap_at_the_model_s_rates()
    {
        // tiered-model: 1200 × 2.00 + 500 × 8.00 = 0.0024 + 0.004
        var cost = _calculator.PriceEstimate("tiered-model", 1200, 500, TestCatalog.Now);
        Assert.Equal(0.0064m, cost.Cost);
        Assert.Equal(1700, cost.TotalTokens);
        Assert.Equal(
        [
            new CostComponent(CostComponentKind.Input, 1200, 2.00m, 0.0024m),
            new CostComponent(CostComponentKind.Output, 500, 8.00m, 0.004m),
        ], cost.Components);
    }

    [Fact]
    public void The_output_cap_is_held_at_the_reasoning_price_when_that_is_higher()
    {
        // thinking-model: 1000 × 0.15 + 500 × max(0.60, 3.50) = 0.00015 + 0.00175: the hold must not fall short.
        Assert.Equal(0.0019m, _calculator.PriceEstimate("thinking-model", 1000, 500, TestCatalog.Now).Cost);
    }

    [Fact]
    public void Estimates_use_tiers_and_long_context_too()
    {
        // priority: 1000 × 3.50 + 1000 × 14.00
        Assert.Equal(0.0175m, _calculator.PriceEstimate("tiered-model", 1000, 1000, TestCatalog.Now, ServiceTier.Priority).Cost);
        // long-model above 1000 input tokens: 2000 × 2.50 + 100 × 15.00 = 0.005 + 0.0015
        var longRequest = _calculator.PriceEstimate("long-model", 2000, 100, TestCatalog.Now);
        Assert.True(longRequest.LongContext);
        Assert.Equal(0.0065m, longRequest.Cost);
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        Assert.Throws<InvalidUsageException>(() => _calculator.PriceEstimate("tiered-model", -1, 10, TestCatalog.Now));
        Assert.Throws<InvalidUsageException>(() => _calculator.PriceEstimate("tiered-model", 1, -10, TestCatalog.Now));
    }
}
