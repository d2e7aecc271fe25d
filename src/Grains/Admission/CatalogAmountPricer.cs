using System.Runtime.CompilerServices;
using System.Text.Json;
using BudgetActors.Domain;
using BudgetActors.Domain.Reports;
using BudgetActors.Pricing;
using ProviderUsage = BudgetActors.Pricing.LlmUsage;

namespace BudgetActors.Grains.Admission;

/// <summary>
/// Prices every kind of amount: LLM prompts by counting their tokens with the model's tokenizer and
/// pricing input + the output cap from the catalog (or the tenant's own prices), provider usage by
/// the catalog, jobs and explicit amounts as <see cref="AmountPricer"/> does. Tokens held or charged
/// are input + output; every call is one operation. Catalog prices are in USD: for a tenant that
/// keeps its money in another currency they are converted at its exchange rate in force now (a
/// missing rate is a 400 naming it); the tenant's own prices are in its currency already.
/// </summary>
public sealed class CatalogAmountPricer(LlmPricing pricing, TimeProvider clock) : AmountPricer
{
    // A tenant's overrides in the pricing library's terms, built once per version of its pricing.
    private readonly ConditionalWeakTable<TenantPricing, PriceOverrides> _overrides = [];

    protected override PricedAmount Price(TenantDirectory tenant, AmountSpec spec, IReadOnlyDictionary<string, string> attributes)
    {
        try
        {
            return spec switch
            {
                LlmEstimate estimate => Quote(tenant, estimate),
                BudgetActors.LlmUsage usage => Charge(tenant, usage),
                _ => base.Price(tenant, spec, attributes),
            };
        }
        catch (PricingException e)
        {
            throw BudgetActorsException.Invalid(RequestRules.FieldOf(spec), e.Message);
        }
    }

    /// <summary>
    /// The quote itself, token count and breakdown included, for <c>POST /v1/estimate</c>: in the
    /// tenant's currency (with the rate it was converted at, when it came from the catalog), held to
    /// the same bound as every priced amount, a refusal naming <paramref name="field"/>.
    /// </summary>
    public TenantQuote QuoteOf(TenantDirectory? tenant, LlmEstimate estimate, string field = "llm")
    {
        LlmQuote quote;
        try
        {
            var request = new LlmRequest(estimate.Model, estimate.MaxOutputTokens,
                estimate.Messages.IsDefaultOrEmpty ? null : [.. estimate.Messages.Select(m => new ChatMessage(m.Role, m.Content, m.Name))],
                estimate.Prompt, Tools(estimate), Tier(estimate.Tier));
            quote = pricing.Quote(request, clock.GetUtcNow(), tenant is null ? null : Overrides(tenant.Pricing));
        }
        catch (PricingException e)
        {
            throw BudgetActorsException.Invalid(field, e.Message);
        }

        var (cost, rate) = InTenantCurrency(tenant, quote.Cost, field);
        if (rate is not null)
        {
            quote = quote with { Cost = cost };
        }

        Bounded(AmountOf(quote), field);
        return new TenantQuote(quote, rate);
    }

    private PricedAmount Quote(TenantDirectory tenant, LlmEstimate estimate)
    {
        var quote = QuoteOf(tenant, estimate);
        return new PricedAmount(AmountOf(quote.Quote), quote.Rate);
    }

    private static Amount AmountOf(LlmQuote quote) => new(quote.Cost.Cost, quote.Tokens, 1);

    private PricedAmount Charge(TenantDirectory tenant, BudgetActors.LlmUsage usage)
    {
        var shape = usage.Shape switch
        {
            LlmUsageShape.OpenAI => UsageShape.OpenAI,
            LlmUsageShape.Anthropic => UsageShape.Anthropic,
            _ => (UsageShape?)null,
        };
        var cost = pricing.Charge(new ProviderUsage(usage.Model, usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens,
            usage.CacheWriteTokens, usage.CacheWrite1hTokens, usage.ReasoningTokens, shape, Tier(usage.Tier)),
            clock.GetUtcNow(), Overrides(tenant.Pricing));
        var (converted, rate) = InTenantCurrency(tenant, cost, RequestRules.FieldOf(usage));
        return new PricedAmount(new Amount(converted.Cost, converted.TotalTokens, 1), rate, DetailOf(converted));
    }

    /// <summary>
    /// A cost priced from the catalog (USD) in the tenant's currency: every line and rate times the
    /// tenant's exchange rate in force, exactly, and the total rounded once, half to even, from the
    /// exact USD sum — never from the USD total already rounded to 6 places. A cost from the tenant's
    /// own prices, a USD tenant's, and a quote for no tenant are as they are.
    /// </summary>
    /// <exception cref="BudgetActorsException">A non-USD tenant without an exchange rate: InvalidRequest naming <paramref name="field"/> and the missing rate.</exception>
    private static (LlmCost Cost, ExchangeRate? Rate) InTenantCurrency(TenantDirectory? tenant, LlmCost cost, string field)
    {
        // Most tenants keep USD: their checks take this way out before anything is allocated.
        if (tenant is null || cost.Origin != PriceOrigin.Catalog || !ExchangeRateRules.NeedsRate(tenant.Tenant.Currency))
        {
            return (cost, null);
        }

        var errors = new RequestErrors();
        var rate = ExchangeRateRules.ForCatalogPrices(tenant.Tenant.Id, tenant.Tenant.Currency, tenant.Pricing.ExchangeRate, field, errors);
        BudgetActorsException.ThrowIfAny(errors);
        if (rate is null)
        {
            return (cost, null);
        }

        var exactUsd = 0m;
        foreach (var line in cost.Components)
        {
            exactUsd += line.Cost;
        }

        return (cost with
        {
            Cost = rate.Convert(exactUsd),
            Components = [.. cost.Components.Select(c => c with { RatePerMillion = c.RatePerMillion * rate.Usd, Cost = c.Cost * rate.Usd })],
        }, rate);
    }

    /// <summary>How a call was priced: its tokens by kind and each kind's cost, split to add up to the charge.</summary>
    internal static SpendDetail DetailOf(LlmCost cost)
    {
        long Tokens(params CostComponentKind[] kinds) => cost.Components.Where(c => kinds.Contains(c.Kind)).Sum(c => c.Tokens);
        var tokens = new LlmTokenCounts(Tokens(CostComponentKind.Input), Tokens(CostComponentKind.CachedInput),
            Tokens(CostComponentKind.CacheWrite5m, CostComponentKind.CacheWrite1h), Tokens(CostComponentKind.Output), Tokens(CostComponentKind.Reasoning));
        return SpendDetails.ForLlm(cost.Model, tokens, [.. cost.Components.Select(c => KeyValuePair.Create(ComponentName(c.Kind), c.Cost))], cost.Cost);
    }

    private static string ComponentName(CostComponentKind kind) => kind switch
    {
        CostComponentKind.Input => SpendComponents.Input,
        CostComponentKind.CachedInput => SpendComponents.CachedInput,
        CostComponentKind.CacheWrite5m or CostComponentKind.CacheWrite1h => SpendComponents.CacheWrite,
        CostComponentKind.Output => SpendComponents.Output,
        CostComponentKind.Reasoning => SpendComponents.Reasoning,
        _ => SpendComponents.Other,
    };

    private PriceOverrides? Overrides(TenantPricing pricing) =>
        pricing.Models.IsEmpty && pricing.UnknownModels is null ? null : _overrides.GetValue(pricing, Build);

    private static PriceOverrides Build(TenantPricing pricing) =>
        new(pricing.Models.Select(m => KeyValuePair.Create(m.Key, Override(m.Value))),
            pricing.UnknownModels is { } unknown ? Override(unknown) : null);

    private static ModelOverride Override(ModelPrice price) => ModelOverride.Of(
        new TokenRates(price.Input, price.CachedInput ?? price.Input, price.CacheWrite ?? price.Input, price.CacheWrite ?? price.Input,
            price.Output, price.Reasoning ?? price.Output),
        price.Encoding switch
        {
            "o200k_base" => TokenizerSpec.O200kBase,
            "cl100k_base" => TokenizerSpec.Cl100kBase,
            _ => null,
        });

    private static IReadOnlyList<ToolDefinition>? Tools(LlmEstimate estimate)
    {
        if (estimate.Tools.IsDefaultOrEmpty)
        {
            return null;
        }

        using var tools = JsonDocument.Parse("[" + string.Join(",", estimate.Tools) + "]");
        return ToolDefinition.ParseList(tools.RootElement);
    }

    private static ServiceTier Tier(string? tier) => tier switch
    {
        null or "standard" => ServiceTier.Standard,
        "batch" => ServiceTier.Batch,
        "flex" => ServiceTier.Flex,
        "priority" => ServiceTier.Priority,
        _ => throw BudgetActorsException.Invalid("tier", $"Unknown service tier '{tier}'; one of standard, batch, flex, priority."),
    };
}
