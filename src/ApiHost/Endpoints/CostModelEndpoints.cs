using System.Collections.Immutable;
using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
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
            .WithSummary("Replace the job cost model: default weights, weights per queue, multiplier per environment. A queue's weights are an object: null is a 400 naming queues.{queue}, and nothing is stored.");
        model.MapPost("/estimate", Estimate).Requires(ApiKeyRole.Service)
            .Accepts<JobEstimateBody>("application/json").Produces<JobCostEstimateResponse>()
            .WithSummary("The expected cost of a job of a queue (job type) and environment, part by part. A job priced past 10^12 is a 400 naming usage.");
        model.MapPost("/calibrate", Calibrate).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<CalibrationBody>("application/json").Produces<CalibrationResponse>()
            .WithSummary("Fit the weights to ≥ 10 pairs of measured resources and actual bill (non-negative least squares); report MAPE and advice; apply on request. Samples that fit only with a unit price outside 0 … 10^12, or that exact decimal arithmetic cannot fit, are a 400 naming samples.");
        return v1;
    }

    private static async Task<IResult> Get(string tenant, TenantDirectoryCache directory) =>
        TypedResults.Ok((await RequireTenant(tenant, directory)).CostModel);

    private static async Task<IResult> Put(string tenant, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<CostModelBody>(request);
        await RequireTenant(tenant, directory);
        var model = new JobCostModel(
            Weights(body.Default) ?? JobCostWeights.Seed,
            (body.Queues ?? []).ToImmutableSortedDictionary(q => q.Key, q => Weights(q.Value)!, StringComparer.Ordinal),
            (body.Environments ?? new(JobCostModel.EnvironmentPresets)).ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        ApiProblem.ThrowIfAny(TenantRules.ValidateCostModel(model));
        return TypedResults.Ok(await grains.GetGrain<ITenantGrain>(tenant).SetCostModel(model));
    }

    private static async Task<IResult> Estimate(string tenant, HttpRequest request, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<JobEstimateBody>(request);
        var model = (await RequireTenant(tenant, directory)).CostModel;
        var errors = new RequestErrors();
        Names(body.Queue, body.Environment, errors);
        if (body.Usage is null)
        {
            errors.Add("usage", "Required: { cpuSeconds, memoryMbSeconds, payloadBytes, ops, networkBytes } (each optional, 0 by default).");
        }

        var usage = RequestMapper.JobUsage(body.Usage ?? new JobUsageBody(null, null, null, null, null));
        RequestRules.JobUsage(usage, "usage", errors);
        ApiProblem.ThrowIfAny(errors);
        return TypedResults.Ok(new JobCostEstimateResponse(body.Queue, body.Environment, Price(model, usage, body.Queue, body.Environment, "usage")));
    }

    private static async Task<IResult> Calibrate(string tenant, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<CalibrationBody>(request);
        var model = (await RequireTenant(tenant, directory)).CostModel;
        var errors = new RequestErrors();
        Names(body.Queue, body.Environment, errors);
        var samples = new List<CalibrationSample>();
        foreach (var (sample, i) in (body.Samples ?? []).Select((s, i) => (s, i)))
        {
            var field = $"samples[{i}]";
            var usage = RequestMapper.JobUsage(sample.Usage ?? new JobUsageBody(null, null, null, null, null));
            RequestRules.JobUsage(usage, field + ".usage", errors);
            if (sample.Bill is not { } bill)
            {
                errors.Add(field + ".bill", "Required: what the job really cost.");
            }
            else
            {
                RequestRules.Cost(bill, field + ".bill", errors);
            }

            samples.Add(new CalibrationSample(usage, Amount.RoundCost(sample.Bill ?? 0m)));
        }

        if (samples.Count < JobCostCalibration.MinimumSamples)
        {
            errors.Add("samples", $"At least {JobCostCalibration.MinimumSamples} pairs of measured usage and actual bill are needed; {samples.Count} given.");
        }

        ApiProblem.ThrowIfAny(errors);
        CalibrationReport report;
        try
        {
            report = JobCostCalibration.Fit(samples, model.WeightsFor(body.Queue), model.MultiplierFor(body.Environment));
        }
        catch (ArithmeticException)
        {
            // Pricing cannot overflow, but the solver's exact decimal arithmetic cannot hold every
            // ill-conditioned set of samples (resources nearly proportional to each other, say).
            throw ApiProblem.Invalid("samples", "These samples cannot be fitted in exact decimal arithmetic; scale the units, or measure jobs that differ more.");
        }

        TenantRules.FittedWeights(report.Weights, "samples", errors);
        ApiProblem.ThrowIfAny(errors);
        var applied = body.Apply == true;
        if (applied)
        {
            model = body.Queue is null ? model with { Default = report.Weights } : model with { Queues = model.Queues.SetItem(body.Queue, report.Weights) };
            await grains.GetGrain<ITenantGrain>(tenant).SetCostModel(model);
        }

        return TypedResults.Ok(new CalibrationResponse(body.Queue, report.Weights, report.Mape, report.CurrentMape,
            RequestMapper.Names<CalibrationAdvice>().ElementAt((int)report.Advice), report.Samples, applied));
    }

    /// <summary>A job's price; a price past the bound of one request names the field.</summary>
    private static JobCostBreakdown Price(JobCostModel model, JobUsage usage, string? queue, string? environment, string field)
    {
        var cost = model.Price(usage, queue, environment);
        var errors = new RequestErrors();
        RequestRules.PricedAmount(new Amount(cost.Total, 0, 1), field, errors);
        ApiProblem.ThrowIfAny(errors);
        return cost;
    }

    private static void Names(string? queue, string? environment, RequestErrors errors)
    {
        if (queue is not null && !Identifiers.IsAttributeValue(queue))
        {
            errors.Add("queue", Identifiers.AttributeValueRule);
        }

        if (environment is not null && !Identifiers.IsAttributeValue(environment))
        {
            errors.Add("environment", Identifiers.AttributeValueRule);
        }
    }

    private static async Task<TenantDirectory> RequireTenant(string tenant, TenantDirectoryCache directory) =>
        (await directory.RequireAsync(tenant)).Directory;

    /// <summary>Weights as sent; a unit price left out keeps the seed's (a price may be far below a micro-unit, so it is kept as given).</summary>
    private static JobCostWeights? Weights(JobCostWeightsBody? body)
    {
        if (body is null)
        {
            return null;
        }

        var seed = JobCostWeights.Seed;
        return new JobCostWeights(
            body.CpuSecond ?? seed.CpuSecond,
            body.MemoryMbSecond ?? seed.MemoryMbSecond,
            body.PayloadKb ?? seed.PayloadKb,
            body.StoreOperation ?? seed.StoreOperation,
            body.NetworkMb ?? seed.NetworkMb,
            body.BasePerJob ?? seed.BasePerJob);
    }
}

public sealed record JobCostEstimateResponse(string? Queue, string? Environment, JobCostBreakdown Cost);

public sealed record CalibrationResponse(string? Queue, JobCostWeights Weights, decimal Mape, decimal CurrentMape, string Recommendation, int Samples, bool Applied);
