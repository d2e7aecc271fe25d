namespace BudgetActors.Domain;

/// <summary>The rules of a tenant's exchange rate: what may be set, and when a catalog price needs one.</summary>
public static class ExchangeRateRules
{
    /// <summary>
    /// The largest rate accepted. The weakest currencies trade at a few hundred thousand to the
    /// dollar; this leaves room without letting a typo multiply every catalog price by 10^12.
    /// </summary>
    public const decimal MaxRate = 1_000_000_000m;

    /// <summary>Places a rate may have: published rates have at most a handful; more is a mistake, not precision.</summary>
    public const int MaxRateScale = 12;

    /// <summary>A rate as a tenant in <paramref name="currency"/> sends it: <c>usd</c> in (0, 10^9] with at most 12 places, <c>asOf</c> a date.</summary>
    public static RequestErrors Validate(string currency, decimal? usd, DateOnly? asOf, RequestErrors? errors = null)
    {
        errors ??= new();
        if (usd is not { } rate)
        {
            errors.Add("usd", $"Required: how much {currency} one USD is, such as 0.92.");
        }
        else if (rate <= 0m || rate > MaxRate)
        {
            errors.Add("usd", $"Must be above 0 and at most {MaxRate:0}.");
        }
        else if (rate.Scale > MaxRateScale && decimal.Round(rate, MaxRateScale) != rate)
        {
            errors.Add("usd", $"At most {MaxRateScale} decimal places.");
        }
        else if (currency == ExchangeRate.CatalogCurrency && rate != 1m)
        {
            errors.Add("usd", "The tenant's currency is USD: one USD is 1 USD, and catalog prices need no conversion.");
        }

        if (asOf is null)
        {
            errors.Add("asOf", "Required: the date the rate is of, as YYYY-MM-DD.");
        }

        return errors;
    }

    /// <summary>Whether catalog (USD) prices need a rate for a tenant that keeps its money in <paramref name="currency"/>.</summary>
    public static bool NeedsRate(string currency) => currency != ExchangeRate.CatalogCurrency;

    /// <summary>
    /// The rate that turns catalog (USD) prices into the money of a tenant in <paramref name="currency"/>:
    /// null for a USD tenant, which needs none; for any other, its rate, or — when it has set none —
    /// an error on <paramref name="field"/> naming the missing rate.
    /// </summary>
    public static ExchangeRate? ForCatalogPrices(string tenantId, string currency, ExchangeRate? rate, string field, RequestErrors errors)
    {
        if (!NeedsRate(currency))
        {
            return null;
        }

        if (rate is null)
        {
            errors.Add(field, $"No USD→{currency} exchange rate: catalog prices are in USD and tenant '{tenantId}' keeps its money in {currency}. "
                + $"Set the rate with PUT /v1/tenants/{tenantId}/exchange-rate {{ \"usd\": …, \"asOf\": \"YYYY-MM-DD\" }}, or price the model "
                + $"in the tenant's own currency (PUT /v1/tenants/{tenantId}/prices/{{model}}).");
        }

        return rate;
    }
}
