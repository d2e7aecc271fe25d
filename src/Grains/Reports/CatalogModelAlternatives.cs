using BudgetActors.Domain.Reports;
using BudgetActors.Pricing;

namespace BudgetActors.Grains.Reports;

/// <summary>
/// Cheaper models from the pricing catalog, for a report's recommendations. The candidates are the
/// catalog's other models of the same provider that generate text (an output price above zero) and
/// price the same tokens lower at their standard rates in effect on the day; of those, the one
/// whose id shares the longest prefix with the model's (gpt-4o → gpt-4o-mini, claude-sonnet-4-5 →
/// claude-haiku-4-5), and among equals the dearest — the nearest step down, not the cheapest model
/// there is. Tokens are priced at the standard rates without long-context repricing: they are a
/// range's sum, not one request. What the alternative would have cost is what was charged times the
/// catalog's ratio of the two prices, so it is in the money of the charges (the tenant's currency,
/// its negotiated prices) whatever they were.
/// </summary>
public sealed class CatalogModelAlternatives(LlmPricing pricing) : IModelAlternatives
{
    public ModelAlternative? CheaperThan(string model, LlmTokenCounts tokens, decimal charged, DateOnly day)
    {
        var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (pricing.Catalog.Find(model) is not { } entry)
        {
            return null;
        }

        var own = CostOf(entry, tokens, at);
        if (own <= 0m)
        {
            return null;
        }

        var best = pricing.Catalog.Models
            .Where(m => m.Provider == entry.Provider && m.Id != entry.Id && m.PriceAt(at).Standard.Rates.Output > 0m)
            .Select(m => (Model: m, Cost: CostOf(m, tokens, at)))
            .Where(c => c.Cost < own)
            .OrderByDescending(c => CommonPrefix(c.Model.Id, entry.Id))
            .ThenByDescending(c => c.Cost)
            .ThenBy(c => c.Model.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Model is null ? null : new ModelAlternative(best.Model.Id, Amount.RoundCost(charged * best.Cost / own));
    }

    private static decimal CostOf(ModelPricing model, LlmTokenCounts tokens, DateTimeOffset at)
    {
        var rates = model.PriceAt(at).Standard.Rates;
        return (tokens.Input * rates.Input + tokens.CachedInput * rates.CachedInput + tokens.CacheWrite * rates.CacheWrite5m
            + tokens.Output * rates.Output + tokens.Reasoning * rates.Reasoning) / 1_000_000m;
    }

    private static int CommonPrefix(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return length;
    }
}
