namespace BudgetActors.Pricing.Tests.Calculation;

/// <summary>
/// A tenant's overrides win over the catalog; an unknown model is an error unless the tenant has a
/// default price; overrides can be read from JSON in the catalog's own entry format.
/// </summary>
public sealed class PriceOverrideTests
{
    private readonly LlmPriceCalculator _calculator = TestCatalog.Calculator();
    private static readonly LlmUsage ThousandEach = new("cache-model", 1000, 1000);

    private static PriceOverrides Overrides(params (string Model, decimal Input, decimal Output)[] models) =>
        new(models.Select(m => KeyValuePair.Create(m.Model, ModelOverride.Of(TokenRates.Flat(m.Input, m.Output)))));

    [Fact]
    public void An_override_wins_over_the_catalog_under_any_name_of_the_entry()
    {
        var overrides = Overrides(("cache-model", 1.00m, 2.00m));
        foreach (var name in new[] { "cache-model", "cache-model-20250101", "bedrock/us.acme.cache-model-v1:0" })
        {
            var cost = _calculator.PriceUsage(ThousandEach with { Model = name }, TestCatalog.Now, overrides);
            Assert.Equal(0.003m, cost.Cost); // 1000 × 1.00 + 1000 × 2.00, per million
            Assert.Equal(PriceOrigin.TenantOverride, cost.Origin);
            Assert.Equal("cache-model", cost.Model);
        }
        Assert.Equal(0.018m, _calculator.PriceUsage(ThousandEach, TestCatalog.Now).Cost); // the catalog's 3.00 + 15.00 without it
    }

    [Fact]
    public void An_override_keyed_by_an_alias_applies_to_the_whole_entry()
    {
        var overrides = Overrides(("cache-model-20250101", 1.00m, 2.00m));
        Assert.Equal(0.003m, _calculator.PriceUsage(ThousandEach, TestCatalog.Now, overrides).Cost);
    }

    [Fact]
    public void An_override_for_the_exact_name_wins_over_one_for_the_entry()
    {
        var overrides = Overrides(("azure/tiered-model", 5.00m, 5.00m), ("tiered-model", 1.00m, 1.00m));
        var usage = new LlmUsage("azure/tiered-model", 1000, 1000);
        Assert.Equal(0.01m, _calculator.PriceUsage(usage, TestCatalog.Now, overrides).Cost);
        Assert.Equal(0.002m, _calculator.PriceUsage(usage with { Model = "openrouter/tiered-model" }, TestCatalog.Now, overrides).Cost);
    }

    [Fact]
    public void An_overridden_catalog_model_keeps_its_tokenizer_and_shape()
    {
        var price = TestCatalog.Load().Resolve("cache-model", TestCatalog.Now, Overrides(("cache-model", 1m, 2m)));
        Assert.Equal(UsageShape.Anthropic, price.UsageShape);
        Assert.Equal(3.5m, price.Tokenizer.CharsPerToken);
        Assert.NotNull(price.CatalogEntry);
    }

    [Fact]
    public void A_custom_model_can_be_priced_by_override_alone()
    {
        var overrides = new PriceOverrides([KeyValuePair.Create("acme-llama-70b", ModelOverride.Of(TokenRates.Flat(0.10m, 0.30m), TokenizerSpec.Cl100kBase))]);
        var price = TestCatalog.Load().Resolve("acme-llama-70b", TestCatalog.Now, overrides);
        Assert.Equal(PriceOrigin.TenantOverride, price.Origin);
        Assert.Equal(TokenEncoding.Cl100kBase, price.Tokenizer.Encoding);
        Assert.Null(price.CatalogEntry);
        Assert.Equal(0.0004m, _calculator.PriceUsage(new LlmUsage("acme-llama-70b", 1000, 1000), TestCatalog.Now, overrides).Cost);
    }

    [Fact]
    public void An_unknown_model_is_an_error_without_a_tenant_default()
    {
        var error = Assert.Throws<UnknownModelException>(() =>
            _calculator.PriceUsage(new LlmUsage("mystery-model", 10, 10), TestCatalog.Now, Overrides(("cache-model", 1m, 1m))));
        Assert.Equal("mystery-model", error.Model);
    }

    [Fact]
    public void A_tenant_default_prices_unknown_models_and_only_those()
    {
        var overrides = new PriceOverrides(tenantDefault: ModelOverride.Of(TokenRates.Flat(4.00m, 12.00m)));
        var unknown = _calculator.PriceUsage(new LlmUsage("mystery-model", 1000, 1000), TestCatalog.Now, overrides);
        Assert.Equal(0.016m, unknown.Cost); // 1000 × 4.00 + 1000 × 12.00, per million
        Assert.Equal(PriceOrigin.TenantDefault, unknown.Origin);
        Assert.Equal("mystery-model", unknown.Model);

        var known = _calculator.PriceUsage(ThousandEach, TestCatalog.Now, overrides);
        Assert.Equal(PriceOrigin.Catalog, known.Origin);
        Assert.Equal(0.018m, known.Cost);

        var price = TestCatalog.Load().Resolve("mystery-model", TestCatalog.Now, overrides);
        Assert.Equal(TestCatalog.Load().FallbackTokenizer, price.Tokenizer);
    }

    [Fact]
    public void Overrides_read_from_JSON_in_the_catalog_s_entry_format()
    {
        var overrides = PriceOverrides.Parse("""
            {
              "models": {
                "cache-model": { "input": "1.00", "cachedInput": 0.10, "output": 2.00, "tiers": { "batch": { "multiplier": 0.4 } } },
                "acme-llama": { "encoding": "none", "charsPerToken": 3, "usageShape": "anthropic",
                  "prices": [ { "effectiveFrom": "2025-03-01", "input": 0.2, "output": 0.2 }, { "input": 0.5, "output": 0.5 } ] }
              },
              "default": { "input": 9, "output": 9 }
            }
            """);

        // cache-model batch: (1000 × 1.00 + 1000 × 2.00) × 0.4 per million
        Assert.Equal(0.0012m, _calculator.PriceUsage(ThousandEach with { Tier = ServiceTier.Batch }, TestCatalog.Now, overrides).Cost);

        // acme-llama: 0.5 until 2025-03-01, 0.2 from then; its own tokenizer and shape.
        var usage = new LlmUsage("acme-llama", 1000, 1000);
        Assert.Equal(0.001m, _calculator.PriceUsage(usage, new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), overrides).Cost);
        Assert.Equal(0.0004m, _calculator.PriceUsage(usage, TestCatalog.Now, overrides).Cost);
        var llama = TestCatalog.Load().Resolve("acme-llama", TestCatalog.Now, overrides);
        Assert.Equal(TokenizerSpec.Fallback(3m, 0.25m), llama.Tokenizer);
        Assert.Equal(UsageShape.Anthropic, llama.UsageShape);

        Assert.Equal(0.018m, _calculator.PriceUsage(usage with { Model = "other" }, TestCatalog.Now, overrides).Cost);
    }

    [Theory]
    [InlineData("""{ "models": { "m": { "input": -1, "output": 1 } } }""", "$.models.m.input")]
    [InlineData("""{ "models": { "m": { "input": 1 } } }""", "$.models.m.output")]
    [InlineData("""{ "models": { "m": { "input": 1, "output": 1, "discount": 0.1 } } }""", "$.models.m.discount")]
    [InlineData("""{ "defaults": { "input": 1, "output": 1 } }""", "$.defaults")]
    [InlineData("""{ "models": { "m": { "input": 1, "output": 1, "encoding": "p50k" } } }""", "$.models.m.encoding")]
    public void Bad_override_documents_are_refused_naming_the_field(string json, string path)
    {
        var error = Assert.Throws<PriceCatalogFormatException>(() => PriceOverrides.Parse(json));
        Assert.Contains(path, error.Message);
    }
}
