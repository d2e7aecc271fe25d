using System.Net;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>
/// The inputs of issue 7 §5 that answered 500: null elements of body lists and maps, null queue
/// weights stored in the cost model, and amounts inside their documented ranges whose price overflows
/// or passes the bound of one request. Each is a 400 naming the field, and changes nothing.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class HostileInputTests(ApiHostFixture host)
{
    private const string Tera = "1000000000000"; // 10^12: the largest cost, weight or measured quantity
    private const string Peta = "1000000000000000"; // 10^15: the largest count

    /// <summary>Every unit price at its largest, on the default weights and on queue <c>big</c>, with environment <c>x</c> at ×100.</summary>
    private static readonly string LargestModel = $$"""
        { "default": {{LargestWeights}}, "queues": { "big": {{LargestWeights}} }, "environments": { "x": 100 } }
        """;

    private static string LargestWeights => $$"""
        { "cpuSecond": {{Tera}}, "memoryMbSecond": {{Tera}}, "payloadKb": {{Tera}}, "storeOperation": {{Tera}}, "networkMb": {{Tera}}, "basePerJob": {{Tera}} }
        """;

    /// <summary>Every resource of a job at its largest.</summary>
    private static readonly string LargestUsage = $$"""
        { "cpuSeconds": {{Tera}}, "memoryMbSeconds": {{Tera}}, "payloadBytes": {{Peta}}, "ops": {{Peta}}, "networkBytes": {{Peta}} }
        """;

    private readonly ApiClient _api = host.Api;

    public static TheoryData<string, string, string> NullElements() => new()
    {
        { "/v1/estimate", """{ "model": "gpt-4o", "messages": [null], "maxOutputTokens": 1 }""", "messages[0]" },
        { "/check", """{ "llm": { "model": "gpt-4o", "messages": [null], "maxOutputTokens": 1 } }""", "llm.messages[0]" },
        { "/reservations", """{ "idempotencyKey": "k-null", "llm": { "model": "gpt-4o", "messages": [null], "maxOutputTokens": 1 } }""", "llm.messages[0]" },
        { "/reservations", """{ "idempotencyKey": "k-null", "llm": { "model": "gpt-4o", "messages": [{ "role": "user", "content": "hi" }, null], "maxOutputTokens": 1 } }""", "llm.messages[1]" },
        { "/check", """{ "attributes": { "user": null }, "estimate": { "cost": 1 } }""", "attributes.user" },
        { "/cost-model/calibrate", """{ "samples": [null] }""", "samples[0]" },
        { "/cost-model", """{ "queues": { "etl": null } }""", "queues.etl" },
        { "/budgets/other", """{ "scope": { "user": null }, "period": { "type": "daily" }, "limits": { "cost": 1 } }""", "scope.user" },
    };

    [Theory]
    [MemberData(nameof(NullElements))]
    public async Task A_null_element_of_a_list_or_map_is_a_400_naming_its_place_and_changes_nothing(string route, string body, string field)
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("null"));
        var model = await CostModelOf(victim.Tenant);
        var method = route is "/cost-model" or "/budgets/other" ? HttpMethod.Put : HttpMethod.Post;
        var path = route.StartsWith("/v1/", StringComparison.Ordinal) ? route : victim.Tenant.Path(route);

        var response = await _api.SendAsync(method, path, victim.Tenant.TenantAdminKey, ApiClient.Body(body));

        response.ExpectInvalid(field);
        await victim.AssertUntouchedAsync(_api);
        Assert.Equal(model, await CostModelOf(victim.Tenant));
        var reservation = await victim.Tenant.ReserveAsync("""{ "idempotencyKey": "k-null", "estimate": { "cost": 1 } }""");
        Assert.True(reservation.Bool("granted")); // the refused reservation did not take its key
    }

    [Fact]
    public async Task Null_queue_weights_are_never_stored_and_every_job_of_that_queue_is_still_priced()
    {
        var tenant = await host.NewTenantAsync("null-queue");
        await tenant.CreateCostBudgetAsync("all", 100m);
        var before = await CostModelOf(tenant);

        (await _api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, """{ "queues": { "etl": null } }""")).ExpectInvalid("queues.etl");
        (await _api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, """{ "queues": { "etl": { "cpuSecond": 0.001 }, "web": null } }"""))
            .ExpectInvalid("queues.web");
        Assert.Equal(before, await CostModelOf(tenant));

        // Queue etl has no weights of its own, so the default prices it: 10 CPU-seconds at the seed's 0.000024, plus the seed's base.
        const decimal price = 0.00024m;
        var estimate = (await _api.PostAsync(tenant.Path("/cost-model/estimate"), tenant.ServiceKey,
            """{ "queue": "etl", "usage": { "cpuSeconds": 10 } }""")).Expect(HttpStatusCode.OK);
        Assert.Equal(price, estimate.Dec("cost.total"));

        var usage = await tenant.RecordUsageAsync("""{ "idempotencyKey": "etl-1", "attributes": { "queue": "etl" }, "jobUsage": { "cpuSeconds": 10 } }""");
        Assert.Equal(price, usage.Dec("charged.cost"));

        var held = await tenant.ReserveAsync("""{ "attributes": { "queue": "etl" }, "estimate": { "cost": 1 } }""");
        var commit = await tenant.CommitAsync(held.Str("reservationId"), """{ "jobUsage": { "cpuSeconds": 10 } }""");
        Assert.Equal(price, commit.Dec("charged.cost"));
        Assert.Equal(new BudgetUse(2 * price, 0, 0, 0, 2, 0), await tenant.UseOfAsync("all"));

        var calibration = (await _api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey,
            EndpointCatalog.CalibrationSamples.Replace("{ \"samples\"", "{ \"queue\": \"etl\", \"samples\"", StringComparison.Ordinal))).Expect(HttpStatusCode.OK);
        Assert.Equal(0.0001m, Math.Round(calibration.Dec("weights.cpuSecond"), 8));
    }

    [Fact]
    public async Task A_job_at_the_largest_weights_multiplier_and_usage_is_a_400_naming_the_field_on_every_route()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("overflow"));
        var tenant = victim.Tenant;
        (await _api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, LargestModel)).Expect(HttpStatusCode.OK);

        (await _api.PostAsync(tenant.Path("/cost-model/estimate"), tenant.ServiceKey,
            $$"""{ "queue": "big", "environment": "x", "usage": {{LargestUsage}} }""")).ExpectInvalid("usage");
        (await _api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
            $$"""{ "idempotencyKey": "huge", "attributes": { "queue": "big", "environment": "x" }, "jobUsage": {{LargestUsage}} }""")).ExpectInvalid("jobUsage");
        (await _api.PostAsync(tenant.Path($"/reservations/{victim.ReservationId}/commit"), tenant.ServiceKey,
            $$"""{ "jobUsage": {{LargestUsage}} }""")).ExpectInvalid("jobUsage");

        await victim.AssertUntouchedAsync(_api);
        Assert.False((await tenant.RecordUsageAsync("""{ "idempotencyKey": "huge", "actual": { "cost": 0 } }""")).Bool("duplicate"));
    }

    [Fact]
    public async Task Calibration_at_the_largest_weights_multiplier_and_usage_answers_without_overflowing()
    {
        var tenant = await host.NewTenantAsync("overflow");
        (await _api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, LargestModel)).Expect(HttpStatusCode.OK);
        var model = await CostModelOf(tenant);
        // Every job used everything and cost 10^12 at ×100: the fit is 10^10 per job and the current model is far off.
        var samples = string.Join(", ", Enumerable.Repeat($$"""{ "usage": {{LargestUsage}}, "bill": {{Tera}} }""", 10));

        var report = (await _api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey,
            $$"""{ "queue": "big", "environment": "x", "samples": [{{samples}}] }""")).Expect(HttpStatusCode.OK);

        Assert.Equal(0m, report.Dec("mape"));
        Assert.True(report.Dec("currentMape") > 100m);
        Assert.Equal("apply", report.Str("recommendation"));
        Assert.Equal(model, await CostModelOf(tenant));
    }

    [Fact]
    public async Task Bills_that_fit_only_with_a_unit_price_past_the_range_are_a_400_naming_the_samples()
    {
        var tenant = await host.NewTenantAsync("fit");
        var model = await CostModelOf(tenant);
        // i micro-seconds of CPU billed i × 10^11 fit only at 10^17 per CPU-second, which no cost model may hold.
        var samples = string.Join(", ", Enumerable.Range(1, 10).Select(i => $$"""{ "usage": { "cpuSeconds": {{i * 0.000001m}} }, "bill": {{i * 100_000_000_000m}} }"""));

        (await _api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey, $$"""{ "apply": true, "samples": [{{samples}}] }"""))
            .ExpectInvalid("samples");
        (await _api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey, $$"""{ "samples": [{{samples}}] }"""))
            .ExpectInvalid("samples");
        Assert.Equal(model, await CostModelOf(tenant));
    }

    [Fact]
    public async Task A_job_priced_past_the_ledger_range_is_a_400_and_never_reaches_the_ledger()
    {
        // 10^12 CPU-seconds at 10^12 each is 10^24: inside decimal, beyond what numeric(28,6) holds (10^22).
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("ledger"));
        var tenant = victim.Tenant;
        (await _api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, $$"""{ "default": { "cpuSecond": {{Tera}} } }""")).Expect(HttpStatusCode.OK);

        (await _api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
            $$"""{ "idempotencyKey": "ledger", "jobUsage": { "cpuSeconds": {{Tera}} } }""")).ExpectInvalid("jobUsage");
        (await _api.PostAsync(tenant.Path("/cost-model/estimate"), tenant.ServiceKey,
            $$"""{ "usage": { "cpuSeconds": {{Tera}} } }""")).ExpectInvalid("usage");

        await victim.AssertUntouchedAsync(_api);
    }

    [Fact]
    public async Task Llm_usage_priced_past_the_bound_is_a_400_and_charges_nothing()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("dear"));
        var tenant = victim.Tenant;
        (await _api.PutAsync(tenant.Path("/prices/dear"), tenant.TenantAdminKey, $$"""{ "input": {{Tera}}, "output": {{Tera}} }""")).Expect(HttpStatusCode.OK);

        // 10^9 tokens each way at 10^12 per million: 2 × 10^15, in range token by token, far past 10^12 in all.
        var refused = await _api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
            """{ "idempotencyKey": "dear", "llmUsage": { "model": "dear", "inputTokens": 1000000000, "outputTokens": 1000000000 } }""");

        refused.ExpectInvalid("llmUsage");
        await victim.AssertUntouchedAsync(_api);
        Assert.False((await tenant.RecordUsageAsync("""{ "idempotencyKey": "dear", "actual": { "cost": 0 } }""")).Bool("duplicate"));
    }

    [Theory]
    [InlineData("llmUsage", """{ "model": "dear", "inputTokens": 1000000000, "outputTokens": 1000000000 }""")]
    [InlineData("jobUsage", """{ "cpuSeconds": 1000000000000, "ops": 1000000000000000 }""")]
    public async Task A_commit_priced_past_the_bound_is_a_400_and_the_hold_stays_committable(string field, string amount)
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("commit"));
        var tenant = victim.Tenant;
        (await _api.PutAsync(tenant.Path("/prices/dear"), tenant.TenantAdminKey, $$"""{ "input": {{Tera}}, "output": {{Tera}} }""")).Expect(HttpStatusCode.OK);
        (await _api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, LargestModel)).Expect(HttpStatusCode.OK);

        var refused = await _api.PostAsync(tenant.Path($"/reservations/{victim.ReservationId}/commit"), tenant.ServiceKey, $$"""{ "{{field}}": {{amount}} }""");

        refused.ExpectInvalid(field);
        await victim.AssertUntouchedAsync(_api);
        var commit = await tenant.CommitAsync(victim.ReservationId, """{ "actual": { "cost": 2 } }""");
        Assert.Equal(2m, commit.Dec("charged.cost"));
        Assert.Equal(victim.Use.CostReserved, commit.Dec("released.cost"));
        Assert.Equal(victim.Use with { CostSpent = victim.Use.CostSpent + 2m, CostReserved = 0m, OperationsSpent = victim.Use.OperationsSpent + 1, OperationsReserved = 0 },
            await tenant.UseOfAsync(Victim.BudgetId));
    }

    [Fact]
    public async Task An_llm_estimate_priced_past_the_bound_is_a_400_on_v1_estimate_as_on_check()
    {
        var tenant = await host.NewTenantAsync("dear");
        (await _api.PutAsync(tenant.Path("/prices/dear"), tenant.TenantAdminKey, $$"""{ "input": {{Tera}}, "output": {{Tera}} }""")).Expect(HttpStatusCode.OK);
        // 10^7 output tokens at 10^12 per million: 10^13.
        const string llm = """{ "model": "dear", "prompt": "x", "maxOutputTokens": 10000000 }""";

        (await _api.PostAsync(tenant.Path("/check"), tenant.ServiceKey, $$"""{ "llm": {{llm}} }""")).ExpectInvalid("llm");
        (await _api.PostAsync("/v1/estimate", tenant.ServiceKey, llm)).ExpectInvalid("body");
    }

    private async Task<string> CostModelOf(TestTenant tenant) =>
        JsonSerializer.Serialize((await _api.GetAsync(tenant.Path("/cost-model"), tenant.ServiceKey)).Expect(HttpStatusCode.OK));
}
