namespace BudgetActors.Pricing.Tests.Catalog;

/// <summary>A catalog that breaks the rules is refused with the path of the problem; prices are read as exact decimals.</summary>
public sealed class CatalogFormatTests
{
    private const string Header = """
        "schemaVersion": 1, "catalogVersion": "t", "publishedOn": "2025-01-01", "currency": "USD",
        "fallbackTokenizer": { "charsPerToken": 4, "errorMargin": 0.25 },
        "providers": { "openai": { "usageShape": "openai" } },
        """;

    private static string WithModels(string models) => "{" + Header + "\"models\": [" + models + "]}";

    private static string Model(string id, string price, string extra = "") =>
        $$"""{ "id": "{{id}}", "provider": "openai" {{extra}}, "prices": [ {{price}} ] }""";

    private const string Sourced = """ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/p" """;

    private static PriceCatalogFormatException Refused(string json) => Assert.Throws<PriceCatalogFormatException>(() => PriceCatalog.Parse(json));

    [Fact]
    public void Prices_are_exact_decimals_whether_numbers_or_strings()
    {
        var catalog = PriceCatalog.Parse(WithModels(
            Model("a", "{" + Sourced + """, "input": 0.1, "output": "0.123456789012345678901234567" }""")));
        var rates = catalog.Get("a").Prices[0].Standard.Rates;
        Assert.Equal(0.1m, rates.Input);
        // 27 significant digits: a double would keep about 17.
        Assert.Equal(0.123456789012345678901234567m, rates.Output);
    }

    [Theory]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "input": 1, "output": 1 }""", "source")]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "source": "https://example.com/p", "input": 1, "output": 1 }""", "asOf")]
    [InlineData("""{ "asOf": "2025-01-01", "source": "https://example.com/p", "input": 1, "output": 1 }""", "effectiveFrom")]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "pricing page", "input": 1, "output": 1 }""", "source")]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/p", "input": -1, "output": 1 }""", "input")]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/p", "input": 1 }""", "output")]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/p", "input": 1, "output": 1, "cacheRead": 0.1 }""", "cacheRead")]
    [InlineData("""{ "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/p", "input": "cheap", "output": 1 }""", "input")]
    [InlineData("""{ "effectiveFrom": "01/02/2024", "asOf": "2025-01-01", "source": "https://example.com/p", "input": 1, "output": 1 }""", "effectiveFrom")]
    public void A_bad_price_entry_is_refused_naming_the_field(string entry, string field)
    {
        var error = Refused(WithModels(Model("a", entry)));
        Assert.Contains($"$.models[0].prices[0].{field}", error.Message);
    }

    [Fact]
    public void An_alias_used_by_two_entries_is_refused()
    {
        var error = Refused(WithModels(
            Model("a", "{" + Sourced + ", \"input\": 1, \"output\": 1 }", ", \"aliases\": [\"shared\"]") + "," +
            Model("b", "{" + Sourced + ", \"input\": 1, \"output\": 1 }", ", \"aliases\": [\"SHARED\"]")));
        Assert.Contains("'SHARED'", error.Message);
        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public void Two_entries_taking_effect_the_same_day_are_refused()
    {
        var entry = "{" + Sourced + ", \"input\": 1, \"output\": 1 }";
        Assert.Contains("2024-01-01", Refused(WithModels(Model("a", entry + "," + entry))).Message);
    }

    [Fact]
    public void A_tier_must_restate_explicit_prices_or_give_a_multiplier()
    {
        var error = Refused(WithModels(Model("a", "{" + Sourced +
            """, "input": 2, "cachedInput": 0.5, "output": 8, "tiers": { "flex": { "input": 1, "output": 4 } } }""")));
        Assert.Contains("tiers.flex.cachedInput", error.Message);
    }

    [Fact]
    public void A_long_context_block_must_restate_explicit_prices()
    {
        var error = Refused(WithModels(Model("a", "{" + Sourced +
            """, "input": 2, "cachedInput": 0.5, "output": 8, "longContext": { "thresholdInputTokens": 10, "input": 4, "output": 16 } }""")));
        Assert.Contains("longContext.cachedInput", error.Message);
    }

    [Fact]
    public void A_tier_of_a_long_context_model_needs_long_context_prices_or_a_multiplier()
    {
        var error = Refused(WithModels(Model("a", "{" + Sourced +
            """, "input": 2, "output": 8, "longContext": { "thresholdInputTokens": 10, "input": 4, "output": 16 }, "tiers": { "flex": { "input": 1, "output": 4 } } }""")));
        Assert.Contains("tiers.flex", error.Message);
    }

    [Theory]
    [InlineData("\"schemaVersion\": 1,", "\"schemaVersion\": 2,", "schemaVersion")]
    [InlineData("\"currency\": \"USD\",", "\"currency\": \"dollars\",", "currency")]
    [InlineData("\"provider\": \"openai\"", "\"provider\": \"nobody\"", "provider")]
    public void Bad_top_level_fields_are_refused(string from, string to, string field)
    {
        var json = WithModels(Model("a", "{" + Sourced + ", \"input\": 1, \"output\": 1 }")).Replace(from, to);
        Assert.Contains(field, Refused(json).Message);
    }

    [Fact]
    public void Text_that_is_not_JSON_is_refused() =>
        Assert.Contains("not valid JSON", Refused("{ not json").Message);
}
