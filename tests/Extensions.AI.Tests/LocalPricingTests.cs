using BudgetActors.Extensions.AI.Tests.Fakes;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>The caller-side pricing mode: LLM amounts become explicit amounts from a rate card.</summary>
public sealed class LocalPricingTests
{
    private static readonly RateCardPricer Pricer = new(new Dictionary<string, ModelRates>
    {
        ["big-model"] = new(InputPerMillion: 2.50m, OutputPerMillion: 10.00m, CachedInputPerMillion: 1.25m),
        ["claude-x"] = new(3.00m, 15.00m, CachedInputPerMillion: 0.30m, CacheWritePerMillion: 3.75m),
    });

    [Fact]
    public void An_estimate_is_the_prompt_estimate_plus_all_of_max_output_at_the_models_rates()
    {
        var estimate = new LlmEstimate("big-model", [new PromptMessage("user", new string('a', 396))], null, 1000, [], null);

        // 99 + 4 + 3 = 106 input tokens; 106 × 2.50 / 10^6 + 1000 × 10 / 10^6 = 0.000265 + 0.01
        Assert.Equal(new Amount(0.010265m, 1106, 1), Pricer.PriceEstimate(estimate));
    }

    [Fact]
    public void OpenAI_shaped_usage_prices_cached_input_inside_the_input_count()
    {
        // 600 uncached × 2.50 + 400 cached × 1.25 + 200 output × 10, per million
        Assert.Equal(new Amount(0.0040m, 1200, 1), Pricer.PriceUsage(new LlmUsage("big-model", 1000, 200, 400)));
    }

    [Fact]
    public void Anthropic_shaped_usage_prices_cached_input_and_cache_writes_outside_the_input_count()
    {
        // 1000 × 3 + 400 × 0.30 + 100 × 3.75 + 200 × 15, per million = 0.003 + 0.00012 + 0.000375 + 0.003
        Assert.Equal(new Amount(0.006495m, 1700, 1),
            Pricer.PriceUsage(new LlmUsage("claude-x", 1000, 200, 400, 100, 0, LlmUsageShape.Anthropic)));
    }

    [Fact]
    public void An_unknown_model_needs_fallback_rates()
    {
        Assert.Throws<InvalidOperationException>(() => Pricer.PriceUsage(new LlmUsage("mystery", 1, 1, 0)));
        var withFallback = new RateCardPricer(new Dictionary<string, ModelRates>(), new ModelRates(1m, 1m));
        Assert.Equal(new Amount(0.000002m, 2, 1), withFallback.PriceUsage(new LlmUsage("mystery", 1, 1, 0)));
    }

    [Fact]
    public async Task The_locally_priced_client_sends_explicit_amounts_in_place_of_llm_amounts()
    {
        var inner = new RecordingBudgetClient();
        var client = inner.WithLocalPricing(Pricer);
        var estimate = new LlmEstimate("big-model", [new PromptMessage("user", "hi")], null, 100, [], null);

        var reservation = await client.ReserveAsync(new BudgetReservationRequest("acme", new Dictionary<string, string>(), estimate, TimeSpan.FromMinutes(1)));
        await client.CommitAsync("acme", reservation.ReservationId!, new LlmUsage("big-model", 1000, 200, 400));
        await client.ReleaseAsync("acme", "res-x");

        Assert.Equal(new ExplicitAmount(Pricer.PriceEstimate(estimate)), inner.SingleReservation.Estimate);
        Assert.Equal(new ExplicitAmount(new Amount(0.0040m, 1200, 1)), Assert.Single(inner.Commits).Actual);
        Assert.Equal([("acme", "res-x")], inner.Releases);
    }
}
