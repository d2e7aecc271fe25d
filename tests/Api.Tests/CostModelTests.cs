using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>The job cost model over HTTP: read, replace, estimate, calibrate, and jobUsage priced by it.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class CostModelTests(ApiHostFixture host)
{
    [Fact]
    public async Task A_new_tenant_has_the_seed_formula_with_environment_presets()
    {
        var tenant = await host.NewTenantAsync("jobs");

        var model = (await host.Api.GetAsync(tenant.Path("/cost-model"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(0.000024m, model.Dec("default.cpuSecond"));
        Assert.Equal(0.5m, model.Dec("environments.staging"));
        Assert.Equal(1m, model.Dec("environments.production"));
    }

    [Fact]
    public async Task Estimate_prices_a_job_part_by_part_with_the_queue_weights_and_environment()
    {
        var tenant = await host.NewTenantAsync("jobs");
        (await host.Api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey,
            """{ "queues": { "render": { "cpuSecond": 0.001, "basePerJob": 0.01 } } }""")).Expect(HttpStatusCode.OK);

        var estimate = (await host.Api.PostAsync(tenant.Path("/cost-model/estimate"), tenant.ServiceKey,
            """{ "queue": "render", "environment": "staging", "usage": { "cpuSeconds": 15.2, "ops": 25 } }""")).Expect(HttpStatusCode.OK);

        Assert.Equal(0.0152m, estimate.Dec("cost.cpu"));
        Assert.Equal(0.01m, estimate.Dec("cost.base"));
        Assert.Equal(0.5m, estimate.Dec("cost.multiplier"));
        Assert.Equal(0.012605m, estimate.Dec("cost.total")); // (0.0152 + 25·0.0000004 + 0.01) / 2
    }

    [Fact]
    public async Task Job_usage_is_charged_at_the_price_of_the_cost_model()
    {
        var tenant = await host.NewTenantAsync("jobs");
        await tenant.CreateCostBudgetAsync("all", 10m);
        (await host.Api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, """{ "default": { "cpuSecond": 0.0001, "basePerJob": 0 } }""")).Expect(HttpStatusCode.OK);

        var usage = await tenant.RecordUsageAsync(
            """{ "idempotencyKey": "job-1", "attributes": { "queue": "etl" }, "jobUsage": { "cpuSeconds": 100, "ops": 10 } }""");

        Assert.Equal(0.010004m, usage.Dec("charged.cost")); // 100·0.0001 + 10·0.0000004 (seed)
        Assert.Equal(0.010004m, (await tenant.UseOfAsync("all")).CostSpent);
    }

    [Fact]
    public async Task Calibration_fits_the_bills_and_applies_only_on_request()
    {
        var tenant = await host.NewTenantAsync("jobs");

        var dryRun = (await host.Api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey, EndpointCatalog.CalibrationSamples)).Expect(HttpStatusCode.OK);
        Assert.Equal(0.0001m, Math.Round(dryRun.Dec("weights.cpuSecond"), 8));
        Assert.Equal(0m, dryRun.Dec("mape"));
        Assert.Equal("apply", dryRun.Str("recommendation"));
        Assert.False(dryRun.Bool("applied"));
        Assert.Equal(0.000024m, (await host.Api.GetAsync(tenant.Path("/cost-model"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Dec("default.cpuSecond"));

        var applied = (await host.Api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey,
            EndpointCatalog.CalibrationSamples.Replace("{ \"samples\"", "{ \"apply\": true, \"samples\"", StringComparison.Ordinal))).Expect(HttpStatusCode.OK);
        Assert.True(applied.Bool("applied"));
        Assert.Equal(0.0001m, Math.Round((await host.Api.GetAsync(tenant.Path("/cost-model"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Dec("default.cpuSecond"), 8));
    }

    [Fact]
    public async Task Fewer_than_ten_samples_and_negative_resources_are_refused()
    {
        var tenant = await host.NewTenantAsync("jobs");

        var few = await host.Api.PostAsync(tenant.Path("/cost-model/calibrate"), tenant.TenantAdminKey,
            """{ "samples": [ { "usage": { "cpuSeconds": 1 }, "bill": 0.1 } ] }""");
        few.ExpectInvalid("samples");

        var negative = await host.Api.PostAsync(tenant.Path("/cost-model/estimate"), tenant.ServiceKey, """{ "usage": { "cpuSeconds": -1 } }""");
        negative.ExpectInvalid("usage.cpuSeconds");

        var unknownField = await host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey, """{ "idempotencyKey": "j", "jobUsage": { "gpuSeconds": 1 } }""");
        unknownField.ExpectInvalid("jobUsage.gpuSeconds");
    }
}
