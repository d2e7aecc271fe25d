using System.Collections.Immutable;
using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Grains.Directory;
using BudgetActors.Domain.Jobs;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>A tenant's job cost model: read and replace it, price a job with it, calibrate it against real bills.</summary>
public static class CostModelEndpoints
{
    public static RouteGroupBuilder MapCostModelEndpoints(this RouteGroupBuilder v1)
    {
        var model = v1.MapGroup("/tenants/{tenant}/cost-model");
        model.MapGet("/", Get).Requires(ApiKeyRole.Service)
            .Produces<JobCostModel>().WithSummary("The tenant's job cost model (the seed formula until it is set or calibrated).");
        model.MapPut("/", Put).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<CostModelBody>("application/json").Produces<JobCostModel>()
            .WithSummary("Replace the job cost model: default weights, weights per queue, multiplier per environment.");
        model.MapPost("/estimate", Estimate).Requires(ApiKeyRole.Service)
            .Accepts<JobEstimateBody>("application/json").Produces<JobCostEstimateResponse>()
            .WithSummary("The expected cost of a job of a queue (job type) and environment, part by part.");
        model.MapPost("/calibrate", Calibrate).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<CalibrationBody>("application/json").Produces<CalibrationResponse>()
            .WithSummary("Fit the weights to ≥ 10 pairs of measured resources and actual bill (non-negative least squares); report MAPE and advice; apply on request.");
        return v1;
    }

    private static async Task<IResult> Get(string tenant, TenantDirectoryCache directory) =>
        TypedResults.Ok((await RequireTenant(tenant, directory)).CostModel);

    private static async Task<IResult> Put(string tenant, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<CostModelBody>(request);
        await RequireTenant(tenant, directory);
        var v = new RequestValidator();
        var model = new JobCostModel(
            Weights(body.Default, "default", v) ?? JobCostWeights.Seed,
            (body.Queues ?? []).ToImmutableSortedDictionary(q => Name(q.Key, "queues", v), q => Weights(q.Value, $"queues.{q.Key}", v)!, StringComparer.Ordinal),
            (body.Environments ?? new(JobCostModel.EnvironmentPresets)).ToImmutableSortedDictionary(e => Name(e.Key, "environments", v), e => Multiplier(e.Value, $"environments.{e.Key}", v), StringComparer.Ordinal));
        v.ThrowIfInvalid();
        return TypedResults.Ok(await grains.GetGrain<ITenantGrain>(tenant).SetCostModel(model));
    }

    private static async Task<IResult> Estimate(string tenant, HttpRequest request, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<JobEstimateBody>(request);
        var model = (await RequireTenant(tenant, directory)).CostModel;
        var v = new RequestValidator();
        var queue = body.Queue is null ? null : Name(body.Queue, "queue", v);
        var environment = body.Environment is null ? null : Name(body.Environment, "environment", v);
        if (body.Usage is null)
        {
            v.Error("usage", "Required: { cpuSeconds, memoryMbSeconds, payloadBytes, ops, networkBytes } (each optional, 0 by default).");
        }

        var usage = v.JobUsage(body.Usage ?? new JobUsageBody(null, null, null, null, null), "usage");
        v.ThrowIfInvalid();
        return TypedResults.Ok(new JobCostEstimateResponse(queue, environment, model.Price(usage, queue, environment)));
    }

    private static async Task<IResult> Calibrate(string tenant, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<CalibrationBody>(request);
        var model = (await RequireTenant(tenant, directory)).CostModel;
        var v = new RequestValidator();
        var queue = body.Queue is null ? null : Name(body.Queue, "queue", v);
        var environment = body.Environment is null ? null : Name(body.Environment, "environment", v);
        var samples = new List<CalibrationSample>();
        foreach (var (sample, i) in (body.Samples ?? []).Select((s, i) => (s, i)))
        {
            var field = $"samples[{i}]";
            var usage = v.JobUsage(sample.Usage ?? new JobUsageBody(null, null, null, null, null), field + ".usage");
            var bill = v.Cost(sample.Bill, field + ".bill");
            if (bill is null)
            {
                v.Error(field + ".bill", "Required: what the job really cost.");
            }

            samples.Add(new CalibrationSample(usage, bill ?? 0m));
        }

        if (samples.Count < JobCostCalibration.MinimumSamples)
        {
            v.Error("samples", $"At least {JobCostCalibration.MinimumSamples} pairs of measured usage and actual bill are needed; {samples.Count} given.");
        }

        v.ThrowIfInvalid();
        var report = JobCostCalibration.Fit(samples, model.WeightsFor(queue), model.MultiplierFor(environment));
        var applied = body.Apply == true;
        if (applied)
        {
            model = queue is null ? model with { Default = report.Weights } : model with { Queues = model.Queues.SetItem(queue, report.Weights) };
            await grains.GetGrain<ITenantGrain>(tenant).SetCostModel(model);
        }

        return TypedResults.Ok(new CalibrationResponse(queue, report.Weights, report.Mape, report.CurrentMape,
            RequestValidator.Names<CalibrationAdvice>().ElementAt((int)report.Advice), report.Samples, applied));
    }

    private static async Task<TenantDirectory> RequireTenant(string tenant, TenantDirectoryCache directory) =>
        (await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant)).Directory;

    private static JobCostWeights? Weights(JobCostWeightsBody? body, string field, RequestValidator v)
    {
        if (body is null)
        {
            return null;
        }

        var seed = JobCostWeights.Seed;
        return new JobCostWeights(
            Price(body.CpuSecond, field + ".cpuSecond", v) ?? seed.CpuSecond,
            Price(body.MemoryMbSecond, field + ".memoryMbSecond", v) ?? seed.MemoryMbSecond,
            Price(body.PayloadKb, field + ".payloadKb", v) ?? seed.PayloadKb,
            Price(body.StoreOperation, field + ".storeOperation", v) ?? seed.StoreOperation,
            Price(body.NetworkMb, field + ".networkMb", v) ?? seed.NetworkMb,
            Price(body.BasePerJob, field + ".basePerJob", v) ?? seed.BasePerJob);
    }

    /// <summary>A unit price may be far below a micro-unit (memory per MB·s), so it is kept as given.</summary>
    private static decimal? Price(decimal? value, string field, RequestValidator v)
    {
        v.Quantity(value, field);
        return value;
    }

    private static decimal Multiplier(decimal value, string field, RequestValidator v)
    {
        if (value <= 0m || value > 100m)
        {
            v.Error(field, "Must be a multiplier above 0 and at most 100.");
        }

        return value;
    }

    private static string Name(string name, string field, RequestValidator v) => v.AttributeValue(name, field);
}

public sealed record JobCostEstimateResponse(string? Queue, string? Environment, JobCostBreakdown Cost);

public sealed record CalibrationResponse(string? Queue, JobCostWeights Weights, decimal Mape, decimal CurrentMape, string Recommendation, int Samples, bool Applied);
