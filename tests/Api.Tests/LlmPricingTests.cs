using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>LLM amounts over HTTP: estimates counted with the model's tokenizer, usage priced from the catalog or the tenant's prices.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class LlmPricingTests(ApiHostFixture host)
{
    [Fact]
    public async Task Estimate_counts_the_prompt_with_the_model_tokenizer_and_prices_input_plus_the_output_cap()
    {
        var tenant = await host.NewTenantAsync("llm");

        var estimate = (await host.Api.PostAsync("/v1/estimate", tenant.ServiceKey,
            """{ "model": "gpt-4o", "messages": [ { "role": "user", "content": "Hello, how are you today?" } ], "maxOutputTokens": 500 }""")).Expect(HttpStatusCode.OK);

        Assert.Equal("o200k_base", estimate.Str("tokens.encoding"));
        Assert.True(estimate.Bool("tokens.exact"));
        Assert.Equal(14L, estimate.Long("tokens.input")); // 7 tokens of text + 3 per message + 3 to prime the reply
        Assert.Equal(514L, estimate.Long("tokens.total"));
        Assert.Equal(0.005035m, estimate.Dec("cost")); // 14 · 2.50/M + 500 · 10/M
    }

    [Fact]
    public async Task A_reservation_holds_the_llm_estimate_and_the_commit_charges_the_reported_usage()
    {
        var tenant = await host.NewTenantAsync("llm");
        await tenant.CreateCostBudgetAsync("all", 1m);

        var reserved = await tenant.ReserveAsync(
            """{ "idempotencyKey": "call-1", "attributes": { "model": "gpt-4o" }, "llm": { "model": "gpt-4o", "prompt": "Summarize this.", "maxOutputTokens": 1000 } }""");
        Assert.Equal(0.010012m, reserved.Dec("estimate.cost")); // 5 · 2.50/M + 1000 · 10/M
        Assert.Equal(1005L, reserved.Long("estimate.tokens"));

        var commit = await tenant.CommitAsync(reserved.Str("reservationId"),
            """{ "llmUsage": { "model": "gpt-4o", "inputTokens": 900, "outputTokens": 300, "cachedInputTokens": 400 } }""");

        Assert.Equal(0.00475m, commit.Dec("charged.cost")); // OpenAI shape: 500 · 2.50/M + 400 · 1.25/M + 300 · 10/M
        Assert.Equal(new BudgetUse(0.00475m, 0, 1200, 0, 1, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task Anthropic_shaped_usage_counts_cached_tokens_outside_the_input()
    {
        var tenant = await host.NewTenantAsync("llm");
        (await host.Api.PutAsync(tenant.Path("/prices/house-model"), tenant.TenantAdminKey,
            """{ "input": 3, "output": 15, "cachedInput": 0.3, "cacheWrite": 3.75 }""")).Expect(HttpStatusCode.OK);

        var usage = await tenant.RecordUsageAsync(
            """{ "idempotencyKey": "a-1", "llmUsage": { "model": "house-model", "inputTokens": 100, "outputTokens": 200, "cachedInputTokens": 1000, "cacheWriteTokens": 400, "shape": "anthropic" } }""");

        // 100 · 3/M + 1000 · 0.3/M + 400 · 3.75/M + 200 · 15/M
        Assert.Equal(0.0051m, usage.Dec("charged.cost"));
    }

    [Fact]
    public async Task An_unknown_model_is_a_400_naming_it_until_the_tenant_prices_it()
    {
        var tenant = await host.NewTenantAsync("llm");
        const string body = """{ "idempotencyKey": "u-1", "llmUsage": { "model": "my-llama-70b", "inputTokens": 1000000, "outputTokens": 500000 } }""";

        var refused = await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey, body);
        var problem = refused.ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("my-llama-70b", problem.Str("detail"));

        (await host.Api.PutAsync(tenant.Path("/unknown-model-price"), tenant.TenantAdminKey, """{ "input": 0.1, "output": 0.2 }""")).Expect(HttpStatusCode.OK);
        var charged = await tenant.RecordUsageAsync(body);
        Assert.Equal(0.2m, charged.Dec("charged.cost"));
    }

    [Fact]
    public async Task Bad_llm_amounts_name_their_fields()
    {
        var tenant = await host.NewTenantAsync("llm");

        (await host.Api.PostAsync(tenant.Path("/check"), tenant.ServiceKey, """{ "llm": { "model": "gpt-4o", "maxOutputTokens": 10 } }"""))
            .ExpectInvalid("llm");
        (await host.Api.PostAsync(tenant.Path("/check"), tenant.ServiceKey, """{ "llm": { "model": "gpt-4o", "prompt": "x", "maxOutputTokens": -1 } }"""))
            .ExpectInvalid("llm.maxOutputTokens");
        (await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey, """{ "idempotencyKey": "x", "llmUsage": { "model": "gpt-4o", "inputTokens": 1, "outputTokens": 1, "shape": "gemini-ish" } }"""))
            .ExpectInvalid("llmUsage.shape");
        (await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey, """{ "idempotencyKey": "x", "llmUsage": { "model": "gpt-4o", "inputTokens": 1.5, "outputTokens": 1 } }"""))
            .ExpectInvalid("llmUsage.inputTokens");
    }
}
