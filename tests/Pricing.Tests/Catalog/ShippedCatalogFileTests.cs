using System.Text.Json;

namespace BudgetActors.Pricing.Tests.Catalog;

/// <summary>The catalog file shipped in the repository is valid, sourced and covers the models the issue names.</summary>
public sealed class ShippedCatalogFileTests
{
    private static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "Catalog", "llm-prices.json");
    private static readonly PriceCatalog Shipped = PriceCatalog.LoadDefault();

    [Fact]
    public void The_file_next_to_the_binaries_is_the_embedded_catalog()
    {
        var fromFile = PriceCatalog.Load(FilePath);
        Assert.Equal(Shipped.Version, fromFile.Version);
        Assert.Equal(Shipped.Models.Select(m => m.Id), fromFile.Models.Select(m => m.Id));
        Assert.Equal(1, Shipped.SchemaVersion);
        Assert.Equal("USD", Shipped.Currency);
    }

    [Fact]
    public void Every_price_entry_states_its_source_and_date_in_the_raw_file()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FilePath));
        var entries = document.RootElement.GetProperty("models").EnumerateArray()
            .SelectMany(model => model.GetProperty("prices").EnumerateArray().Select(price => (Id: model.GetProperty("id").GetString(), price)))
            .ToList();
        Assert.True(entries.Count >= 60, $"only {entries.Count} price entries");
        foreach (var (id, price) in entries)
        {
            Assert.True(Uri.TryCreate(price.GetProperty("source").GetString(), UriKind.Absolute, out var source) && source.Scheme == "https", $"{id}: source");
            Assert.True(DateOnly.TryParse(price.GetProperty("asOf").GetString(), out _), $"{id}: asOf");
            Assert.True(DateOnly.TryParse(price.GetProperty("effectiveFrom").GetString(), out _), $"{id}: effectiveFrom");
        }
    }

    [Fact]
    public void Every_entry_is_dated_consistently_and_priced_at_or_above_zero()
    {
        foreach (var model in Shipped.Models)
        {
            foreach (var sheet in model.Prices)
            {
                Assert.NotNull(sheet.Source);
                Assert.NotNull(sheet.AsOf);
                Assert.True(sheet.AsOf >= sheet.EffectiveFrom, $"{model.Id}: asOf {sheet.AsOf} is before effectiveFrom {sheet.EffectiveFrom}");
                Assert.True(sheet.AsOf <= Shipped.PublishedOn, $"{model.Id}: asOf after the catalog's publication");
                Assert.Contains(ServiceTier.Standard, sheet.Tiers.Keys);
                foreach (var tier in sheet.Tiers.Values)
                {
                    Assert.All(tier.Rates.All, rate => Assert.True(rate >= 0, $"{model.Id}: negative price"));
                    if (tier.LongContext is { } longContext)
                    {
                        Assert.True(longContext.ThresholdInputTokens > 0);
                        Assert.All(longContext.Rates.All, rate => Assert.True(rate >= 0, $"{model.Id}: negative long-context price"));
                    }
                }
                Assert.True(sheet.Standard.Rates.Input > 0 && sheet.Standard.Rates.CachedInput <= sheet.Standard.Rates.Input,
                    $"{model.Id}: cached input should not cost more than input");
            }
        }
    }

    [Fact]
    public void Names_and_aliases_are_unique_across_entries()
    {
        var names = Shipped.Models.SelectMany(m => m.Names).ToList();
        var duplicates = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void OpenAI_models_count_with_tiktoken_and_others_fall_back()
    {
        Assert.All(Shipped.Models.Where(m => m.Provider == "openai"), m => Assert.NotEqual(TokenEncoding.Fallback, m.Tokenizer.Encoding));
        Assert.All(Shipped.Models.Where(m => m.Provider != "openai"), m => Assert.Equal(TokenEncoding.Fallback, m.Tokenizer.Encoding));
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4o-mini")]
    [InlineData("gpt-4.1")]
    [InlineData("gpt-4.1-mini")]
    [InlineData("gpt-4.1-nano")]
    [InlineData("o1")]
    [InlineData("o3")]
    [InlineData("o3-mini")]
    [InlineData("o4-mini")]
    [InlineData("gpt-5")]
    [InlineData("gpt-5-mini")]
    [InlineData("gpt-5-nano")]
    [InlineData("claude-3-5-sonnet")]
    [InlineData("claude-3-7-sonnet")]
    [InlineData("claude-sonnet-4")]
    [InlineData("claude-opus-4")]
    [InlineData("claude-opus-4-1")]
    [InlineData("claude-3-5-haiku")]
    [InlineData("gemini-1.5-pro")]
    [InlineData("gemini-1.5-flash")]
    [InlineData("gemini-2.0-flash")]
    [InlineData("gemini-2.5-pro")]
    [InlineData("gemini-2.5-flash")]
    [InlineData("mistral-large-latest")]
    [InlineData("mistral-small-latest")]
    [InlineData("codestral-latest")]
    [InlineData("deepseek-chat")]
    [InlineData("deepseek-reasoner")]
    [InlineData("grok-3")]
    [InlineData("grok-3-mini")]
    [InlineData("grok-4")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("meta.llama3-3-70b-instruct-v1:0")]
    public void The_models_the_issue_names_are_priced(string model)
    {
        var price = Shipped.Resolve(model, new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True(price.Prices.Standard.Rates.Input > 0);
    }

    [Fact]
    public void Gemini_2_5_pro_reprices_prompts_over_200k_tokens()
    {
        var standard = Shipped.Get("gemini-2.5-pro").PriceAt(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero)).Standard;
        Assert.Equal(200_000, standard.LongContext!.ThresholdInputTokens);
        Assert.Equal(1.25m, standard.RatesFor(200_000).Input);
        Assert.Equal(2.50m, standard.RatesFor(200_001).Input);
        Assert.Equal(15.00m, standard.RatesFor(200_001).Output);
    }

    [Fact]
    public void Anthropic_entries_price_both_cache_writes()
    {
        var sonnet = Shipped.Get("claude-sonnet-4").PriceAt(TestCatalog.Now).Standard.Rates;
        Assert.Equal(new TokenRates(3.00m, 0.30m, 3.75m, 6.00m, 15.00m, 15.00m), sonnet);
    }
}
