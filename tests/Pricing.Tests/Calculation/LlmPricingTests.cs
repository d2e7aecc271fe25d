namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>The entry point: quote a request (count with the model's tokenizer, price input + output cap) and charge a usage.</summary>
public sealed class LlmPricingTests
{
    private readonly LlmPricing _pricing = new(TestCatalog.Load());

    [Fact]
    public void A_chat_request_is_counted_with_the_model_s_tokenizer_and_priced()
    {
        // tiered-model counts with o200k_base: the conversation is 58 tokens (see ChatTokenCountTests).
        var quote = _pricing.Quote(new LlmRequest("tiered-model", 500, Messages: Tokens.ChatTokenCountTests.Conversation), TestCatalog.Now);
        Assert.Equal(58, quote.Input.Tokens);
        Assert.True(quote.Input.Exact);
        Assert.Equal(558, quote.Tokens);
        Assert.Equal(0.004116m, quote.Cost.Cost); // 58 × 2.00 + 500 × 8.00, per million = 0.000116 + 0.004
    }

    [Fact]
    public void The_model_s_encoding_decides_the_count()
    {
        // legacy-model counts with cl100k_base: 60 tokens for the same conversation; 60 × 10 + 100 × 30 per million.
        var quote = _pricing.Quote(new LlmRequest("legacy-model", 100, Messages: Tokens.ChatTokenCountTests.Conversation), TestCatalog.Now);
        Assert.Equal(60, quote.Input.Tokens);
        Assert.Equal(0.0036m, quote.Cost.Cost);
    }

    [Fact]
    public void A_plain_prompt_is_counted_as_it_is()
    {
        var quote = _pricing.Quote(new LlmRequest("tiered-model", 0, Prompt: "Hello, world!"), TestCatalog.Now);
        Assert.Equal(4, quote.Input.Tokens); // tiktoken o200k: 4
        Assert.Equal(0.000008m, quote.Cost.Cost);
    }

    [Fact]
    public void A_model_without_a_tokenizer_is_estimated_with_its_margin()
    {
        // cache-model (Anthropic, 3.5 characters per token): "x" × 70 as a prompt = 20 tokens.
        var quote = _pricing.Quote(new LlmRequest("cache-model", 100, Prompt: new string('x', 70)), TestCatalog.Now);
        Assert.Equal(20, quote.Input.Tokens);
        Assert.False(quote.Input.Exact);
        Assert.Equal(0.25m, quote.Input.ErrorMargin);
        Assert.Equal(0.00156m, quote.Cost.Cost); // 20 × 3.00 + 100 × 15.00, per million
    }

    [Fact]
    public void A_tenant_override_can_name_the_tokenizer_of_a_custom_model()
    {
        var overrides = new PriceOverrides([KeyValuePair.Create("acme-gpt", ModelOverride.Of(TokenRates.Flat(1m, 1m), TokenizerSpec.O200kBase))]);
        var quote = _pricing.Quote(new LlmRequest("acme-gpt", 10, Prompt: "Hello, world!"), TestCatalog.Now, overrides);
        Assert.True(quote.Input.Exact);
        Assert.Equal(4, quote.Input.Tokens);
        Assert.Equal(PriceOrigin.TenantOverride, quote.Cost.Origin);
    }

    [Fact]
    public void A_request_needs_exactly_one_of_messages_and_prompt()
    {
        Assert.Throws<InvalidUsageException>(() => _pricing.Quote(new LlmRequest("tiered-model", 10), TestCatalog.Now));
        Assert.Throws<InvalidUsageException>(() =>
            _pricing.Quote(new LlmRequest("tiered-model", 10, [new ChatMessage("user", "hi")], "hi"), TestCatalog.Now));
        Assert.Throws<InvalidUsageException>(() => _pricing.Quote(new LlmRequest("tiered-model", -1, Prompt: "hi"), TestCatalog.Now));
    }

    [Fact]
    public void Unknown_models_are_refused_before_counting()
    {
        var error = Assert.Throws<UnknownModelException>(() => _pricing.Quote(new LlmRequest("gpt-7", 10, Prompt: "hi"), TestCatalog.Now));
        Assert.Equal("gpt-7", error.Model);
    }

    [Fact]
    public void Charge_prices_a_reported_usage()
    {
        var cost = _pricing.Charge(new LlmUsage("cache-model", 1000, 700, 2000, 500, 100, 200), TestCatalog.Now);
        Assert.Equal(0.016575m, cost.Cost);
    }

    [Fact]
    public void The_default_pricing_reads_the_shipped_catalog()
    {
        var pricing = LlmPricing.CreateDefault();
        Assert.Same(PriceCatalog.LoadDefault(), pricing.Catalog);
        var quote = pricing.Quote(new LlmRequest("gpt-4o", 100, Prompt: "Hello, world!"), new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(4, quote.Input.Tokens);
        Assert.Equal(0.00101m, quote.Cost.Cost); // 4 × 2.50 + 100 × 10.00, per million
    }
}
