using System.Net;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>
/// Money in the tenant's currency over HTTP: a tenant-admin sets how much of its currency one USD is;
/// catalog prices are converted at the rate in force when priced, and estimate / charged say which
/// rate; a tenant in another currency without a rate gets a 400 naming it for catalog-priced amounts.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class ExchangeRateTests(ApiHostFixture host)
{
    // 5 prompt tokens at 2.50/M + 1000 output at 10/M = 0.0100125 USD exactly.
    private const string Llm = """{ "model": "gpt-4o", "prompt": "Summarize this.", "maxOutputTokens": 1000 }""";

    // OpenAI shape: 500 input at 2.50/M + 400 cached at 1.25/M + 300 output at 10/M = 0.00475 USD.
    private const string LlmUsage = """{ "model": "gpt-4o", "inputTokens": 900, "outputTokens": 300, "cachedInputTokens": 400 }""";

    private static async Task<JsonElement> SetRate(ApiClient api, TestTenant tenant, string body) =>
        (await api.PutAsync(tenant.Path("/exchange-rate"), tenant.TenantAdminKey, body)).Expect(HttpStatusCode.OK);

    private static void AssertRate(JsonElement amount, decimal usd, string asOf)
    {
        Assert.Equal("EUR", amount.Str("exchangeRate.currency"));
        Assert.Equal(usd, amount.Dec("exchangeRate.usd"));
        Assert.Equal(asOf, amount.Str("exchangeRate.asOf"));
    }

    [Fact]
    public async Task A_tenant_admin_sets_the_rate_and_anyone_of_the_tenant_reads_it()
    {
        var tenant = await host.NewTenantAsync("fx", "EUR");
        (await host.Api.GetAsync(tenant.Path("/exchange-rate"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await host.Api.PutAsync(tenant.Path("/exchange-rate"), tenant.ServiceKey, """{ "usd": 0.92, "asOf": "2026-12-01" }"""))
            .ExpectProblem(HttpStatusCode.Forbidden);

        var set = await SetRate(host.Api, tenant, """{ "usd": 0.92, "asOf": "2026-12-01" }""");
        var read = (await host.Api.GetAsync(tenant.Path("/exchange-rate"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(("EUR", 0.92m, "2026-12-01"), (set.Str("currency"), set.Dec("usd"), set.Str("asOf")));
        Assert.Equal(set.GetRawText(), read.GetRawText());
        Assert.Equal(0.92m, (await host.Api.GetAsync(tenant.Path("/prices"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Dec("exchangeRate.usd"));
    }

    [Fact]
    public async Task Catalog_prices_are_converted_at_the_rate_in_force_when_priced_and_old_charges_keep_theirs()
    {
        var tenant = await host.NewTenantAsync("fx", "EUR");
        await tenant.CreateCostBudgetAsync("all", 1m);
        await SetRate(host.Api, tenant, """{ "usd": 0.92, "asOf": "2026-12-01" }""");

        var reserved = await tenant.ReserveAsync($$"""{ "idempotencyKey": "r-1", "llm": {{Llm}} }""");
        var committed = await tenant.CommitAsync(reserved.Str("reservationId"), $$"""{ "llmUsage": {{LlmUsage}} }""");
        var recorded = await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "u-1", "llmUsage": {{LlmUsage}} }""");

        Assert.Equal(0.009212m, reserved.Dec("estimate.cost")); // 0.0100125 × 0.92 = 0.0092115, half to even
        AssertRate(reserved.At("estimate"), 0.92m, "2026-12-01");
        Assert.Equal(0.00437m, committed.Dec("charged.cost")); // 0.00475 × 0.92
        AssertRate(committed.At("charged"), 0.92m, "2026-12-01");
        Assert.Equal(0.00437m, recorded.Dec("charged.cost"));
        AssertRate(recorded.At("charged"), 0.92m, "2026-12-01");

        await SetRate(host.Api, tenant, """{ "usd": 0.95, "asOf": "2026-12-02" }""");

        // The first charges answer again as they were, and the budget keeps them as charged.
        var commitAgain = await tenant.CommitAsync(reserved.Str("reservationId"), $$"""{ "llmUsage": {{LlmUsage}} }""");
        var usageAgain = await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "u-1", "llmUsage": {{LlmUsage}} }""");
        Assert.Equal(0.00437m, commitAgain.Dec("charged.cost"));
        AssertRate(commitAgain.At("charged"), 0.92m, "2026-12-01");
        Assert.True(usageAgain.Bool("duplicate"));
        AssertRate(usageAgain.At("charged"), 0.92m, "2026-12-01");

        // New ones at the new rate: 0.00475 × 0.95 = 0.0045125 → 0.004512 (half to even).
        var later = await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "u-2", "llmUsage": {{LlmUsage}} }""");
        var check = await tenant.CheckAsync($$"""{ "llm": {{Llm}} }""");
        Assert.Equal(0.004512m, later.Dec("charged.cost"));
        AssertRate(later.At("charged"), 0.95m, "2026-12-02");
        Assert.Equal(0.009512m, check.Dec("estimate.cost")); // 0.0100125 × 0.95 = 0.009511875
        AssertRate(check.At("estimate"), 0.95m, "2026-12-02");
        Assert.Equal(0.00437m + 0.00437m + 0.004512m, (await tenant.UseOfAsync("all")).CostSpent);
    }

    [Fact]
    public async Task Without_a_rate_catalog_priced_amounts_are_a_400_naming_it_and_change_nothing()
    {
        var tenant = await host.NewTenantAsync("fx", "EUR");
        await tenant.CreateCostBudgetAsync("all", 1m);

        var check = (await host.Api.PostAsync(tenant.Path("/check"), tenant.ServiceKey, $$"""{ "llm": {{Llm}} }""")).ExpectInvalid("llm");
        var usage = (await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
            $$"""{ "idempotencyKey": "u-1", "llmUsage": {{LlmUsage}} }""")).ExpectInvalid("llmUsage");
        var estimate = (await host.Api.PostAsync("/v1/estimate", tenant.ServiceKey, Llm)).ExpectInvalid("body");

        foreach (var problem in new[] { check, usage, estimate })
        {
            Assert.Contains("USD→EUR exchange rate", problem.Str("detail"));
        }

        Assert.Equal(new BudgetUse(0m, 0m, 0m, 0m, 0m, 0m), await tenant.UseOfAsync("all"));

        // Amounts already in euros need no rate: stated ones, and the tenant's own price for a model.
        var stated = await tenant.RecordUsageAsync("""{ "idempotencyKey": "u-2", "actual": { "cost": 0.25 } }""");
        Assert.False(stated.At("charged").TryGetProperty("exchangeRate", out _));
        (await host.Api.PutAsync(tenant.Path("/prices/gpt-4o"), tenant.TenantAdminKey, """{ "input": 2, "output": 8 }""")).Expect(HttpStatusCode.OK);
        var own = await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "u-1", "llmUsage": {{LlmUsage}} }""");
        Assert.Equal(0.0042m, own.Dec("charged.cost")); // 500 · 2/M + 400 cached · 2/M + 300 · 8/M
        Assert.False(own.At("charged").TryGetProperty("exchangeRate", out _));
    }

    [Fact]
    public async Task Bad_rates_are_400s_by_field_and_change_nothing()
    {
        var tenant = await host.NewTenantAsync("fx", "EUR");
        var api = host.Api;
        var path = tenant.Path("/exchange-rate");

        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "usd": -0.92, "asOf": "2026-12-01" }""")).ExpectInvalid("usd");
        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "usd": 0, "asOf": "2026-12-01" }""")).ExpectInvalid("usd");
        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "usd": 0.92 }""")).ExpectInvalid("asOf");
        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "asOf": "2026-12-01" }""")).ExpectInvalid("usd");
        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "usd": "0.92", "asOf": "2026-12-01" }""")).ExpectProblem(HttpStatusCode.BadRequest);
        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "usd": 0.92, "asOf": "December" }""")).ExpectProblem(HttpStatusCode.BadRequest);
        (await api.PutAsync(path, tenant.TenantAdminKey, """{ "usd": 0.92, "asOf": "2026-12-01", "eur": 1 }""")).ExpectProblem(HttpStatusCode.BadRequest);

        (await api.GetAsync(path, tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);

        var dollars = await host.NewTenantAsync("fx");
        (await api.PutAsync(dollars.Path("/exchange-rate"), dollars.TenantAdminKey, """{ "usd": 0.92, "asOf": "2026-12-01" }""")).ExpectInvalid("usd");
        var implicitRate = (await api.GetAsync(dollars.Path("/exchange-rate"), dollars.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(("USD", 1m), (implicitRate.Str("currency"), implicitRate.Dec("usd")));
    }

    [Fact]
    public async Task The_estimate_endpoint_prices_in_the_tenants_currency()
    {
        var tenant = await host.NewTenantAsync("fx", "EUR");
        await SetRate(host.Api, tenant, """{ "usd": 0.92, "asOf": "2026-12-01" }""");
        const string call = """{ "model": "gpt-4o", "messages": [ { "role": "user", "content": "Hello, how are you today?" } ], "maxOutputTokens": 500 }""";

        var estimate = (await host.Api.PostAsync("/v1/estimate", tenant.ServiceKey, call)).Expect(HttpStatusCode.OK);
        var dollars = (await host.Api.PostAsync("/v1/estimate", host.AdminKey, call)).Expect(HttpStatusCode.OK);

        Assert.Equal(("EUR", 0.004632m), (estimate.Str("currency"), estimate.Dec("cost"))); // 0.005035 × 0.92 = 0.0046322
        AssertRate(estimate, 0.92m, "2026-12-01");
        Assert.Equal([2.3m, 9.2m], estimate.Items("components").Select(c => c.Dec("ratePerMillion")));
        Assert.Equal(("USD", 0.005035m), (dollars.Str("currency"), dollars.Dec("cost")));
        Assert.False(dollars.TryGetProperty("exchangeRate", out _));
    }

    [Fact]
    public async Task The_openapi_document_has_the_endpoints_and_the_rate_on_amounts()
    {
        var document = (await host.Api.GetAsync("/openapi/v1.json", key: null)).Expect(HttpStatusCode.OK);

        var methods = document.At("paths").GetProperty("/v1/tenants/{tenant}/exchange-rate").EnumerateObject().Select(m => m.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "get", "put" }, methods);
        var amount = document.At("components").GetProperty("schemas").GetProperty("AmountResponse").GetProperty("properties");
        Assert.True(amount.TryGetProperty("exchangeRate", out _), "AmountResponse documents exchangeRate");
    }
}
