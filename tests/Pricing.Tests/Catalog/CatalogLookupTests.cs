namespace BudgetActors.Pricing.Tests.Catalog;

/// <summary>Names resolve to one entry: ids, aliases (dated snapshots, cloud ids), provider prefixes.</summary>
public sealed class CatalogLookupTests
{
    private static readonly PriceCatalog Shipped = PriceCatalog.LoadDefault();

    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("GPT-4o", "gpt-4o")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-2024-11-20", "gpt-4o")]
    [InlineData("azure/gpt-4o", "gpt-4o")]
    [InlineData("openai/gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("openrouter/openai/gpt-4.1", "gpt-4.1")]
    [InlineData("o3-2025-04-16", "o3")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("anthropic/claude-3.5-sonnet", "claude-3-5-sonnet")]
    [InlineData("openrouter/anthropic/claude-3.7-sonnet", "claude-3-7-sonnet")]
    [InlineData("bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet")]
    [InlineData("bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4")]
    [InlineData("vertex_ai/claude-sonnet-4@20250514", "claude-sonnet-4")]
    [InlineData("vertex_ai/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("models/gemini-2.0-flash-001", "gemini-2.0-flash")]
    [InlineData("mistral/mistral-large-2411", "mistral-large-latest")]
    [InlineData("deepseek/deepseek-r1", "deepseek-reasoner")]
    [InlineData("x-ai/grok-4-0709", "grok-4")]
    [InlineData("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("bedrock/us.meta.llama3-3-70b-instruct-v1:0", "meta.llama3-3-70b-instruct-v1:0")]
    [InlineData("  gpt-4o  ", "gpt-4o")]
    public void Names_resolve_to_their_canonical_entry(string name, string id) =>
        Assert.Equal(id, Shipped.Get(name).Id);

    [Fact]
    public void A_snapshot_priced_differently_is_its_own_entry()
    {
        var may = Shipped.Get("gpt-4o-2024-05-13");
        var current = Shipped.Get("gpt-4o");
        Assert.NotSame(current, may);
        Assert.Equal(5.00m, may.PriceAt(TestCatalog.Now).Standard.Rates.Input);
        Assert.Equal(2.50m, current.PriceAt(TestCatalog.Now).Standard.Rates.Input);
    }

    [Fact]
    public void An_exact_name_wins_over_taking_a_prefix_off()
    {
        var catalog = TestCatalog.Load();
        Assert.Equal("azure/gpt-x", catalog.Get("azure/gpt-x").Id);
        Assert.Equal("azure/gpt-x", catalog.Get("openrouter/azure/gpt-x").Id);
        Assert.Equal("gpt-x", catalog.Get("openrouter/gpt-x").Id);
        Assert.Equal("cache-model", catalog.Get("bedrock/us.acme.cache-model-v1:0").Id);
    }

    [Theory]
    [InlineData("gpt-4o-2099-01-01")]
    [InlineData("azure/not-a-model")]
    [InlineData("my-finetune")]
    public void An_unknown_model_is_an_error_naming_it(string name)
    {
        var error = Assert.Throws<UnknownModelException>(() => Shipped.Resolve(name, TestCatalog.Now));
        Assert.Equal(name, error.Model);
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains(Shipped.Version, error.Message);
        Assert.Null(Shipped.Find(name));
    }

    [Fact]
    public void An_empty_model_name_is_an_invalid_request_not_an_unknown_model() =>
        Assert.Throws<InvalidUsageException>(() => Shipped.Resolve(" ", TestCatalog.Now));

    [Fact]
    public void Resolution_carries_the_catalog_tokenizer_and_usage_shape()
    {
        var gpt = Shipped.Resolve("azure/gpt-4o", TestCatalog.Now);
        Assert.Equal(PriceOrigin.Catalog, gpt.Origin);
        Assert.Equal("gpt-4o", gpt.ModelId);
        Assert.Equal("azure/gpt-4o", gpt.RequestedModel);
        Assert.Equal(TokenEncoding.O200kBase, gpt.Tokenizer.Encoding);
        Assert.Equal(UsageShape.OpenAI, gpt.UsageShape);

        var claude = Shipped.Resolve("claude-sonnet-4", TestCatalog.Now);
        Assert.Equal(UsageShape.Anthropic, claude.UsageShape);
        Assert.Equal(TokenEncoding.Fallback, claude.Tokenizer.Encoding);
        Assert.Equal(3.5m, claude.Tokenizer.CharsPerToken);

        Assert.Equal(UsageShape.Gemini, Shipped.Resolve("gemini-2.5-flash", TestCatalog.Now).UsageShape);
        Assert.Equal(TokenEncoding.Cl100kBase, Shipped.Resolve("gpt-4-turbo", TestCatalog.Now).Tokenizer.Encoding);
    }
}
