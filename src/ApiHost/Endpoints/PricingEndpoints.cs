using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Pricing;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Token and cost estimates of LLM calls, and a tenant's own model prices.</summary>
public static class PricingEndpoints
{
    public static RouteGroupBuilder MapPricingEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/estimate", Estimate).Requires(ApiKeyRole.Service)
            .Accepts<LlmBody>("application/json").Produces<EstimateResponse>()
            .WithSummary("Count an LLM call's input tokens with the model's tokenizer and price input + maxOutputTokens (with the caller's tenant prices). Errors name the fields as sent (model, messages[0]); a call priced past 10^12 is a 400 naming body.");

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
        return TypedResults.Ok(EstimateResponse.From(pricer.QuoteOf(tenant, estimate, "body")));
    }

    private static async Task<IResult> GetPrices(string tenant, TenantDirectoryCache directory) =>
        TypedResults.Ok((await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant)).Directory.Pricing);

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
        var pricing = (await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant)).Directory.Pricing;
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

public sealed record EstimateTokens(long Input, long MaxOutput, long Total, bool Exact, string Encoding, decimal ErrorMargin);

public sealed record EstimateResponse(string Model, EstimateTokens Tokens, decimal Cost, string Tier, string PriceSource, DateOnly PriceEffectiveFrom, bool LongContext, IReadOnlyList<CostComponent> Components)
{
    public static EstimateResponse From(LlmQuote quote) => new(
        quote.Cost.Model,
        new EstimateTokens(quote.Input.Tokens, quote.MaxOutputTokens, quote.Tokens, quote.Input.Exact, quote.Input.Encoding, quote.Input.ErrorMargin),
        quote.Cost.Cost,
        quote.Cost.Tier.ToString().ToLowerInvariant(),
        quote.Cost.Origin switch { PriceOrigin.TenantOverride => "tenant", PriceOrigin.TenantDefault => "tenant-unknown-model-price", _ => "catalog" },
        quote.Cost.PriceEffectiveFrom,
        quote.Cost.LongContext,
        quote.Cost.Components);
}
