using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Grains.Admission;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>"May I spend this?", holds, and spend: check, reservations, usage.</summary>
public static class AdmissionEndpoints
{
    public static RouteGroupBuilder MapAdmissionEndpoints(this RouteGroupBuilder v1)
    {
        var tenant = v1.MapGroup("/tenants/{tenant}");
        tenant.MapPost("/check", Check).Requires(ApiKeyRole.Service)
            .Accepts<CheckBody>("application/json").Produces<CheckResponse>()
            .WithSummary("The most restrictive decision over every applicable budget. Holds nothing.");
        tenant.MapPost("/reservations", Reserve).Requires(ApiKeyRole.Service)
            .Accepts<ReserveBody>("application/json").Produces<ReserveResponse>()
            .WithSummary("Hold an estimate on every applicable budget, or on none. Refusals answer 200 with granted=false.");
        tenant.MapPost("/reservations/{reservationId}/commit", Commit).Requires(ApiKeyRole.Service)
            .Accepts<CommitBody>("application/json").Produces<CommitResponse>()
            .WithSummary("Charge what was really spent; it replaces the hold and may exceed it. A second commit returns the first result.");
        tenant.MapPost("/reservations/{reservationId}/release", Release).Requires(ApiKeyRole.Service)
            .Produces<ReleaseResponse>().WithSummary("Free the hold.");
        tenant.MapPost("/usage", RecordUsage).Requires(ApiKeyRole.Service)
            .Accepts<UsageBody>("application/json").Produces<UsageResponse>()
            .WithSummary("Record spend that had no reservation; the same idempotency key counts once.");
        return v1;
    }

    private static async Task<IResult> Check(string tenant, HttpRequest request, BudgetAdmission admission)
    {
        var body = await JsonBody.ReadAsync<CheckBody>(request);
        var v = new RequestValidator();
        var check = new CheckRequest(
            v.Attributes(body.Attributes, "attributes"),
            v.AmountSpec("estimate", body.Estimate, ("llm", body.Llm)),
            v.Priority(body.Priority, "priority"));
        v.ThrowIfInvalid();
        return TypedResults.Ok(CheckResponse.From(await admission.Check(tenant, check)));
    }

    private static async Task<IResult> Reserve(string tenant, HttpRequest request, BudgetAdmission admission)
    {
        var body = await JsonBody.ReadAsync<ReserveBody>(request);
        var v = new RequestValidator();
        var reserve = new ReserveRequest(
            v.IdempotencyKey(body.IdempotencyKey, "idempotencyKey", required: false),
            v.Attributes(body.Attributes, "attributes"),
            v.AmountSpec("estimate", body.Estimate, ("llm", body.Llm)),
            v.Ttl(body.TtlSeconds, "ttlSeconds"),
            v.Priority(body.Priority, "priority"));
        v.ThrowIfInvalid();
        return TypedResults.Ok(ReserveResponse.From(await admission.Reserve(tenant, reserve)));
    }

    private static async Task<IResult> Commit(string tenant, string reservationId, HttpRequest request, BudgetAdmission admission)
    {
        var v = new RequestValidator();
        v.Id(reservationId, "reservationId");
        v.ThrowIfInvalid();
        var body = await JsonBody.ReadAsync<CommitBody>(request);
        var commit = new CommitRequest(v.AmountSpec("actual", body.Actual, ("llmUsage", body.LlmUsage), ("jobUsage", body.JobUsage)));
        v.ThrowIfInvalid();
        return TypedResults.Ok(CommitResponse.From(await admission.Commit(tenant, reservationId, commit)));
    }

    private static async Task<IResult> Release(string tenant, string reservationId, BudgetAdmission admission)
    {
        var v = new RequestValidator();
        v.Id(reservationId, "reservationId");
        v.ThrowIfInvalid();
        return TypedResults.Ok(ReleaseResponse.From(await admission.Release(tenant, reservationId)));
    }

    private static async Task<IResult> RecordUsage(string tenant, HttpRequest request, BudgetAdmission admission)
    {
        var body = await JsonBody.ReadAsync<UsageBody>(request);
        var v = new RequestValidator();
        var usage = new UsageRequest(
            v.IdempotencyKey(body.IdempotencyKey, "idempotencyKey", required: true) ?? "",
            v.Attributes(body.Attributes, "attributes"),
            v.AmountSpec("actual", body.Actual, ("llmUsage", body.LlmUsage), ("jobUsage", body.JobUsage)),
            body.Timestamp);
        v.ThrowIfInvalid();
        return TypedResults.Ok(UsageResponse.From(await admission.RecordUsage(tenant, usage)));
    }
}
