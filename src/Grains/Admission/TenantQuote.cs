using BudgetActors.Pricing;

namespace BudgetActors.Grains.Admission;

/// <summary>An LLM quote in the tenant's currency, and the exchange rate its catalog (USD) prices were converted at (null: none was).</summary>
public sealed record TenantQuote(LlmQuote Quote, ExchangeRate? Rate);
