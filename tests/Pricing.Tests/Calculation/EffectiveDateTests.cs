namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>A price change on date D: usage before D (UTC) gets the old price, usage from D the new one.</summary>
public sealed class EffectiveDateTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();

    // dated-model: 10.00 / 40.00 from 2025-01-01, 2.00 / 8.00 from 2025-03-01. 1000 in + 1000 out:
    // old 0.01 + 0.04 = 0.05; new 0.002 + 0.008 = 0.01.
    private decimal CostAt(DateTimeOffset at) => _calculator.PriceUsage(new LlmUsage("dated-model", 1000, 1000), at).Cost;

    [Fact]
    public void The_entry_in_effect_on_the_usage_date_prices_it()
    {
        Assert.Equal(0.05m, CostAt(new DateTimeOffset(2025, 2, 28, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal(0.01m, CostAt(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0.01m, CostAt(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Dates_compare_in_UTC()
    {
        // 01:00 on 1 March in Paris (+02:00 here) is still 28 February in UTC: old price.
        Assert.Equal(0.05m, CostAt(new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void A_date_before_every_entry_gets_the_earliest()
    {
        Assert.Equal(0.05m, CostAt(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_cost_names_the_entry_it_used()
    {
        var cost = _calculator.PriceUsage(new LlmUsage("dated-model", 1, 1), new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2025, 3, 1), cost.PriceEffectiveFrom);
    }

    [Fact]
    public void Shipped_o3_price_cut_of_2025_06_10()
    {
        var calculator = new LlmPriceCalculator(PriceCatalog.LoadDefault());
        var usage = new LlmUsage("o3", 1_000_000, 1_000_000);
        Assert.Equal(50.00m, calculator.PriceUsage(usage, new DateTimeOffset(2025, 6, 9, 12, 0, 0, TimeSpan.Zero)).Cost);  // 10 + 40
        Assert.Equal(10.00m, calculator.PriceUsage(usage, new DateTimeOffset(2025, 6, 10, 12, 0, 0, TimeSpan.Zero)).Cost); // 2 + 8
    }
}
