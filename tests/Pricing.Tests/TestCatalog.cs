namespace BudgetActors.Pricing.Tests;

/// <summary>
/// A small catalog with round, made-up prices, so the arithmetic tests do not change when real
/// prices do. Every expected value in the tests is worked out by hand from these numbers.
/// </summary>
internal static class TestCatalog
{
    public const string Json = """
    {
      "schemaVersion": 1, "catalogVersion": "test-1", "publishedOn": "2025-06-01", "currency": "USD",
      "fallbackTokenizer": { "charsPerToken": 4, "errorMargin": 0.25 },
      "providerPrefixes": ["azure/", "openrouter/", "bedrock/", "us."],
      "providers": {
        "openai": { "usageShape": "openai" },
        "anthropic": { "usageShape": "anthropic", "charsPerToken": 3.5 },
        "google": { "usageShape": "gemini" }
      },
      "models": [
        { "id": "cache-model", "provider": "anthropic", "aliases": ["cache-model-20250101", "acme.cache-model-v1:0"],
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing",
            "input": 3.00, "cachedInput": 0.30, "cacheWrite5m": 3.75, "cacheWrite1h": 6.00, "output": 15.00,
            "tiers": { "batch": { "multiplier": 0.5 } } } ] },
        { "id": "tiered-model", "provider": "openai", "encoding": "o200k_base", "aliases": ["tiered-model-2025-04-01"],
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing",
            "input": 2.00, "cachedInput": 0.50, "output": 8.00,
            "tiers": {
              "batch": { "multiplier": 0.5 },
              "flex": { "input": 1.10, "cachedInput": 0.30, "output": 4.40 },
              "priority": { "input": 3.50, "cachedInput": 0.875, "output": 14.00 } } } ] },
        { "id": "long-model", "provider": "google",
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing",
            "input": 1.25, "cachedInput": 0.31, "output": 10.00,
            "longContext": { "thresholdInputTokens": 1000, "input": 2.50, "cachedInput": 0.625, "output": 15.00 },
            "tiers": { "batch": { "multiplier": 0.5 } } } ] },
        { "id": "dated-model", "provider": "openai",
          "prices": [
            { "effectiveFrom": "2025-03-01", "asOf": "2025-06-01", "source": "https://example.com/pricing", "input": 2.00, "output": 8.00 },
            { "effectiveFrom": "2025-01-01", "asOf": "2025-02-28", "source": "https://example.com/pricing", "input": 10.00, "output": 40.00 } ] },
        { "id": "thinking-model", "provider": "google",
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing",
            "input": 0.15, "output": 0.60, "reasoning": 3.50 } ] },
        { "id": "half-model", "provider": "openai",
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing",
            "input": "0.5", "output": 0.5 } ] },
        { "id": "gpt-x", "provider": "openai", "encoding": "o200k_base",
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing", "input": 1, "output": 2 } ] },
        { "id": "azure/gpt-x", "provider": "openai", "encoding": "o200k_base",
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing", "input": 1.1, "output": 2.2 } ] },
        { "id": "legacy-model", "provider": "openai", "encoding": "cl100k_base",
          "prices": [ { "effectiveFrom": "2024-01-01", "asOf": "2025-01-01", "source": "https://example.com/pricing", "input": 10, "output": 30 } ] }
      ]
    }
    """;

    public static PriceCatalog Load() => PriceCatalog.Parse(Json);

    /// <summary>A moment at which every test model has a price in effect.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static LlmPriceCalculator Calculator() => new(Load());
}
