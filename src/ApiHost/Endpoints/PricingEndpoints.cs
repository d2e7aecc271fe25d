using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Pricing;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Token and cost estimates of LLM calls, a tenant's own model prices, and its exchange rate for catalog (USD) prices.</summary>
public static class PricingEndpoints
{
    public static RouteGroupBuilder MapPricingEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/estimate", Estimate).Requires(ApiKeyRole.Service)
            .Accepts<LlmBody>("application/json").Produces<EstimateResponse>()
            .WithSummary("Count an LLM call's input tokens with the model's tokenizer and price input + maxOutputTokens (with the caller's tenant prices). Errors name the fields as sent (model, messages[0]); a call priced past 10^12 is a 400 naming body.")
            .WithDescription("Cost, components and their rates are in the caller's tenant's currency (currency): catalog prices, which are in USD, are " +
                "converted at the tenant's exchange rate in force (exchangeRate says which), and a non-USD tenant without one gets a 400 naming the missing rate. " +
                "With the admin key (no tenant) the catalog's USD prices are used as they are.");

        var prices = v1.MapGroup("/tenants/{tenant}");
        prices.MapGet("/prices", GetPrices).Requires(ApiKeyRole.Service)
            .Produces<TenantPricing>().WithSummary("The tenant's own model prices (over the catalog) and its price for unknown models.");
        prices.MapPut("/prices/{**model}", PutPrice).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<ModelPriceBody>("application/json").Produces<TenantPricing>()
            .WithSummary("Set the tenant's price for a model, per million tokens (negotiated, custom or self-hosted).");
        prices.MapDelete("/prices/{**model}", DeletePrice).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent).WithSummary("Back to the catalog's price for this model.");
        prices.MapPut("/unknown-model-price", PutUnknownModelPrice).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<ModelPriceBody>("application/json").Produces<TenantPricing>()
            .WithSummary("Price models that neither the tenant nor the catalog knows (otherwise such usage is a 400 naming the model).");
        prices.MapDelete("/unknown-model-price", DeleteUnknownModelPrice).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent).WithSummary("Refuse unknown models again.");
        prices.MapPut("/exchange-rate", PutExchangeRate).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<ExchangeRateBody>("application/json").Produces<ExchangeRate>()
            .WithSummary("Set how much of the tenant's currency one USD is: catalog prices (USD) are converted at it from now on.")
            .WithDescription("Body { usd, asOf }: usd above 0 and at most 10^9, at most 12 decimal places; asOf the date the rate is of (YYYY-MM-DD). " +
                "The last rate set is the one in force; a catalog-priced amount is converted at the rate in force when it is priced — the exact product " +
                "of its unrounded USD cost and usd, rounded half to even to 6 places — and keeps it: estimates and charges priced before keep their " +
                "old rate, and their answers (estimate.exchangeRate, charged.exchangeRate) say which rate was used. Tenant prices, job cost models and " +
                "explicit amounts are in the tenant's currency already and are never converted. A USD tenant needs no rate (only usd 1 is accepted). " +
                "Answers { currency, usd, asOf }.");
        prices.MapGet("/exchange-rate", GetExchangeRate).Requires(ApiKeyRole.Service)
            .Produces<ExchangeRate>()
            .WithSummary("The rate in force for catalog prices: { currency, usd, asOf }. A USD tenant without one answers usd 1 (no conversion); any other tenant without one, a 404 naming the missing rate.");
        return v1;
    }

    private static async Task<IResult> Estimate(HttpContext http, CatalogAmountPricer pricer, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<LlmBody>(http.Request);
        var map = new RequestMapper();
        // The body is the call itself: its fields are named as sent (model, messages[0]), the whole of it "body".
        var estimate = map.Llm(body, "");
        RequestRules.Llm(estimate, "", map.Errors);
        map.ThrowIfInvalid();
        var tenantId = Caller.From(http.User)?.TenantId;
        var tenant = tenantId is null ? null : (await directory.GetAsync(tenantId))?.Directory;
        return TypedResults.Ok(EstimateResponse.From(pricer.QuoteOf(tenant, estimate, "body"), tenant?.Tenant.Currency ?? ExchangeRate.CatalogCurrency));
    }

    private static async Task<IResult> PutExchangeRate(string tenant, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<ExchangeRateBody>(request);
        var currency = (await directory.RequireAsync(tenant)).Tenant.Currency;
        ApiProblem.ThrowIfAny(ExchangeRateRules.Validate(currency, body.Usd, body.AsOf));
        return TypedResults.Ok(await grains.GetGrain<ITenantGrain>(tenant).SetExchangeRate(body.Usd!.Value, body.AsOf!.Value));
    }

    private static async Task<IResult> GetExchangeRate(string tenant, TenantDirectoryCache directory)
    {
        var view = await directory.RequireAsync(tenant);
        var currency = view.Tenant.Currency;
        return view.Directory.Pricing.ExchangeRate switch
        {
            { } rate => TypedResults.Ok(rate),
            null when currency == ExchangeRate.CatalogCurrency => TypedResults.Ok(new { currency, usd = 1m }),
            null => throw ApiProblem.NotFound($"Tenant '{tenant}' keeps its money in {currency} and has no USD→{currency} exchange rate: " +
                $"set one with PUT /v1/tenants/{tenant}/exchange-rate {{ \"usd\": …, \"asOf\": \"YYYY-MM-DD\" }}."),
        };
    }

    private static async Task<IResult> GetPrices(string tenant, TenantDirectoryCache directory) =>
        TypedResults.Ok((await directory.RequireAsync(tenant)).Directory.Pricing);

    private static async Task<IResult> PutPrice(string tenant, string model, HttpRequest request, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<ModelPriceBody>(request);
        var map = new RequestMapper();
        var price = Price(model, body, map);
        map.ThrowIfInvalid(errors => TenantRules.ValidatePrice(price, errors));
        return TypedResults.Ok(await grains.GetGrain<ITenantGrain>(tenant).SetModelPrice(model, price));
    }

    private static async Task<IResult> DeletePrice(string tenant, string model, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var pricing = (await directory.RequireAsync(tenant)).Directory.Pricing;
        if (!pricing.Models.ContainsKey(model))
        {
            throw ApiProblem.NotFound($"The tenant has no price of its own for model '{model}'.");
        }

        await grains.GetGrain<ITenantGrain>(tenant).SetModelPrice(model, null);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PutUnknownModelPrice(string tenant, HttpRequest request, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<ModelPriceBody>(request);
        var map = new RequestMapper();
        var price = Price("*", body, map);
        map.ThrowIfInvalid(errors => TenantRules.ValidatePrice(price, errors));
        return TypedResults.Ok(await grains.GetGrain<ITenantGrain>(tenant).SetUnknownModelPrice(price));
    }

    private static async Task<IResult> DeleteUnknownModelPrice(string tenant, IGrainFactory grains)
    {
        await grains.GetGrain<ITenantGrain>(tenant).SetUnknownModelPrice(null);
        return TypedResults.NoContent();
    }

    /// <summary>The price as sent; input and output are required, the rest defaults to them (see ModelPrice).</summary>
    private static ModelPrice Price(string model, ModelPriceBody body, RequestMapper map)
    {
        if (body.Input is null)
        {
            map.Error("input", "Required: the price of a million input tokens.");
        }

        if (body.Output is null)
        {
            map.Error("output", "Required: the price of a million output tokens.");
        }

        return new ModelPrice(model, body.Input ?? 0m, body.Output ?? 0m, body.CachedInput, body.CacheWrite, body.Reasoning, body.Encoding);
    }
}

/// <summary>The body of <c>PUT …/exchange-rate</c>: one USD is <c>usd</c> of the tenant's currency, as of <c>asOf</c>.</summary>
public sealed record ExchangeRateBody(decimal? Usd, DateOnly? AsOf);

public sealed record EstimateTokens(long Input, long MaxOutput, long Total, bool Exact, string Encoding, decimal ErrorMargin);

/// <param name="Currency">What the cost, its components and their rates are in: the caller's tenant's currency (USD without a tenant).</param>
/// <param name="ExchangeRate">The rate catalog (USD) prices were converted at; left out when none was.</param>
public sealed record EstimateResponse(string Model, EstimateTokens Tokens, decimal Cost, string Tier, string PriceSource, DateOnly PriceEffectiveFrom, bool LongContext,
    IReadOnlyList<CostComponent> Components, string Currency,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] ExchangeRate? ExchangeRate)
{
    public static EstimateResponse From(TenantQuote priced, string currency) => From(priced.Quote, currency, priced.Rate);

    private static EstimateResponse From(LlmQuote quote, string currency, ExchangeRate? rate) => new(
        quote.Cost.Model,
        new EstimateTokens(quote.Input.Tokens, quote.MaxOutputTokens, quote.Tokens, quote.Input.Exact, quote.Input.Encoding, quote.Input.ErrorMargin),
        quote.Cost.Cost,
        quote.Cost.Tier.ToString().ToLowerInvariant(),
        quote.Cost.Origin switch { PriceOrigin.TenantOverride => "tenant", PriceOrigin.TenantDefault => "tenant-unknown-model-price", _ => "catalog" },
        quote.Cost.PriceEffectiveFrom,
        quote.Cost.LongContext,
        quote.Cost.Components,
        currency,
        rate);
}
