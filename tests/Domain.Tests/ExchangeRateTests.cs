namespace BudgetActors.Domain.Tests;

/// <summary>
/// Catalog prices are in USD: a tenant in another currency has them converted at its rate (exactly,
/// rounded once, half to even, to 6 places), may set only a sensible rate, needs one for catalog
/// prices, and reads its money in its own currency in the reasons.
/// </summary>
public class ExchangeRateTests
{
    private static readonly ExchangeRate Eur = new("EUR", 0.92m, new DateOnly(2026, 12, 1));

    private static string[] Fields(RequestErrors errors) => [.. errors.ToImmutable().Keys];

    [Theory]
    [InlineData("0.010012", "0.009211")] // 0.00921104 → down
    [InlineData("0.0000025", "0.000002")] // exact 0.0000023 → the nearest micro-unit
    [InlineData("1000", "920")]
    [InlineData("0", "0")]
    public void A_usd_cost_is_the_exact_product_rounded_to_six_places(string usd, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Eur.Convert(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Halves_go_to_the_even_micro_unit()
    {
        var half = new ExchangeRate("EUR", 0.5m, new DateOnly(2026, 12, 1));

        Assert.Equal(0.000002m, half.Convert(0.000005m)); // 0.0000025: down to the even 2
        Assert.Equal(0.000004m, half.Convert(0.000007m)); // 0.0000035: up to the even 4
        Assert.Equal(0.00001m, new ExchangeRate("JPY", 1.5m, new DateOnly(2026, 12, 1)).Convert(0.000007m)); // 0.0000105: down to the even 0
    }

    [Fact]
    public void The_exact_usd_cost_is_converted_not_the_one_already_rounded()
    {
        // 5 tokens at 2.50/M is 0.0000125 USD. Converted exactly: 0.0000115 EUR, a half, up to the even 12.
        // Rounded first (0.000012, the even neighbour) and then converted: 0.00001104 → 0.000011, a micro-unit short.
        Assert.Equal(0.000012m, Eur.Convert(5 * 2.5m / 1_000_000m));
        Assert.Equal(0.000011m, Eur.Convert(Amount.RoundCost(5 * 2.5m / 1_000_000m)));
    }

    [Theory]
    [InlineData("0.92", null)]
    [InlineData("149.5", null)]
    [InlineData("0.000001234567", null)]
    [InlineData("0", "usd")]
    [InlineData("-1", "usd")]
    [InlineData("1000000000.01", "usd")]
    [InlineData("0.0000000000001", "usd")]
    public void A_rate_is_above_zero_at_most_a_billion_with_at_most_twelve_places(string usd, string? field)
    {
        var errors = ExchangeRateRules.Validate("EUR", decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), new DateOnly(2026, 12, 1));

        Assert.Equal(field is null ? [] : [field], Fields(errors));
    }

    [Fact]
    public void Both_fields_are_required_and_a_usd_tenant_may_only_say_one()
    {
        Assert.Equal(["asOf", "usd"], Fields(ExchangeRateRules.Validate("EUR", null, null)));
        Assert.Equal(["usd"], Fields(ExchangeRateRules.Validate("USD", 0.92m, new DateOnly(2026, 12, 1))));
        Assert.Empty(Fields(ExchangeRateRules.Validate("USD", 1m, new DateOnly(2026, 12, 1))));
    }

    [Fact]
    public void Catalog_prices_need_a_rate_for_a_tenant_not_in_usd_and_the_refusal_names_it()
    {
        var errors = new RequestErrors();

        Assert.Null(ExchangeRateRules.ForCatalogPrices("acme", "USD", null, "llm", errors));
        Assert.Same(Eur, ExchangeRateRules.ForCatalogPrices("acme", "EUR", Eur, "llm", errors));
        Assert.True(errors.IsEmpty);

        Assert.Null(ExchangeRateRules.ForCatalogPrices("acme", "EUR", null, "llmUsage", errors));
        var message = Assert.Single(errors.ToImmutable()["llmUsage"]);
        Assert.Contains("USD→EUR exchange rate", message);
        Assert.Contains("PUT /v1/tenants/acme/exchange-rate", message);
    }

    [Fact]
    public void Reasons_show_money_in_the_tenants_currency()
    {
        var definition = Budgets.Define("alice-daily", cost: 10m, period: PeriodType.Daily);
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var account = new BudgetAccount(definition, now, now) { Currency = "EUR" };
        account.Charge(Budgets.Cost(6.5m));

        var verdict = account.Evaluate(Budgets.Cost(8m), priority: 0, now);
        var unnamed = new BudgetAccount(definition, now, now).Evaluate(Budgets.Cost(11m), priority: 0, now);

        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.StartsWith("alice-daily: 6.50 EUR spent + 8.00 EUR requested passes the daily cost limit of 10.00 EUR", verdict.Reason!.Message);
        Assert.StartsWith("alice-daily: 0.00 spent + 11.00 requested passes the daily cost limit of 10.00 (", unnamed.Reason!.Message); // no currency known: figures only
    }
}
