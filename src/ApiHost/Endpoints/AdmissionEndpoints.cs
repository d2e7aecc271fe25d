using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Cluster;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
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
            .WithSummary("The most restrictive decision over every applicable budget. Holds nothing.")
            .WithDescription("A decision other than allow carries `reasons`, one per budget that did not simply allow, most restrictive first: budget, decision, metric (cost, tokens, operations, perRequest.*, requestsPerMinute, tokensPerMinute), limit, spent, reserved, requested, retryAfter (when it clears by itself, in the budget's time zone; null for a total budget or a per-request cap) and a sentence. An admitted check counts against the budget's rate limits.");
        tenant.MapPost("/reservations", Reserve).Requires(ApiKeyRole.Service)
            .Accepts<ReserveBody>("application/json").Produces<ReserveResponse>()
            .WithSummary("Hold an estimate on every applicable budget, or on none. Refusals answer 200 with granted=false.")
            .WithDescription("A refusal carries `reasons` (as for check) and, when one of them clears by itself, a `Retry-After` header in whole seconds until the earliest such time. Grace and priority bypass admit past the block threshold with decision warn and a reason saying so; bypass never passes `emergencyCeiling` × limit, however many ask at once.");
        tenant.MapPost("/reservations/{reservationId}/commit", Commit).Requires(ApiKeyRole.Service)
            .Accepts<CommitBody>("application/json").Produces<CommitResponse>()
            .WithSummary("Charge what was really spent; it replaces the hold and may exceed it. A second commit returns the first result. An amount priced past 10^12 (or 10^15 tokens) is a 400 naming its field, and the hold stays, to be committed with a valid amount.");
        tenant.MapPost("/reservations/{reservationId}/release", Release).Requires(ApiKeyRole.Service)
            .Produces<ReleaseResponse>().WithSummary("Free the hold.");
        tenant.MapPost("/usage", RecordUsage).Requires(ApiKeyRole.Service)
            .Accepts<UsageBody>("application/json").Produces<UsageResponse>()
            .WithSummary("Record spend that had no reservation; the same idempotency key counts once. An amount priced past 10^12 (or 10^15 tokens) is a 400 naming its field, and does not use up the key.")
            .WithDescription("`timestamp` (optional, default now) is when the spend happened: in a closed period it is charged to that period's history, not the current one, and a usage.late event says so; more than 5 minutes in the future is a 400 naming `timestamp`.");
        return v1;
    }

    // Every operation here may be sent again when a silo that served it dies (ClusterRetry): a check
    // changes nothing, and a write with an idempotency key counts once. Only a reservation without a
    // key is sent once: a second attempt would be a second reservation.

    private static async Task<IResult> Check(string tenant, HttpRequest request, BudgetAdmission admission, ClusterRetry retry)
    {
        var body = await JsonBody.ReadAsync<CheckBody>(request);
        var map = new RequestMapper();
        var check = new CheckRequest(
            RequestMapper.Attributes(body.Attributes),
            map.AmountSpec("estimate", body.Estimate, ("llm", body.Llm)),
            body.Priority ?? 0);
        map.ThrowIfInvalid(errors => RequestRules.Validate(check, errors));
        return TypedResults.Ok(CheckResponse.From(await retry.RunAsync(() => admission.Check(tenant, check), idempotent: true)));
    }

    private static async Task<IResult> Reserve(string tenant, HttpRequest request, BudgetAdmission admission, ClusterRetry retry)
    {
        var body = await JsonBody.ReadAsync<ReserveBody>(request);
        var map = new RequestMapper();
        var reserve = new ReserveRequest(
            body.IdempotencyKey,
            RequestMapper.Attributes(body.Attributes),
            map.AmountSpec("estimate", body.Estimate, ("llm", body.Llm)),
            RequestMapper.Ttl(body.TtlSeconds),
            body.Priority ?? 0);
        map.ThrowIfInvalid(errors => RequestRules.Validate(reserve, errors));
        var result = await retry.RunAsync(() => admission.Reserve(tenant, reserve), idempotent: reserve.IdempotencyKey is not null);
        if (!result.Granted && RetryAfter(result, admission.Now) is { } seconds)
        {
            request.HttpContext.Response.Headers.RetryAfter = seconds;
        }

        return TypedResults.Ok(ReserveResponse.From(result));
    }

    /// <summary>Whole seconds until the earliest time a refusal clears by itself, if any does (the reasons' <c>retryAfter</c>).</summary>
    private static string? RetryAfter(ReserveResult result, DateTimeOffset now)
    {
        var clears = result.Reasons.IsDefault ? null : result.Reasons.Where(r => r.Decision == Decision.Block).Min(r => r.RetryAfter);
        return clears is { } at ? Math.Max(0, (long)Math.Ceiling((at - now).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static async Task<IResult> Commit(string tenant, string reservationId, HttpRequest request, BudgetAdmission admission, ClusterRetry retry)
    {
        if (!Identifiers.IsId(reservationId))
        {
            throw ApiProblem.Invalid("reservationId", Identifiers.IdRule);
        }

        var body = await JsonBody.ReadAsync<CommitBody>(request);
        var map = new RequestMapper();
        var commit = new CommitRequest(map.AmountSpec("actual", body.Actual, ("llmUsage", body.LlmUsage), ("jobUsage", body.JobUsage)));
        map.ThrowIfInvalid(errors => RequestRules.Validate(reservationId, commit, errors));
        return TypedResults.Ok(CommitResponse.From(await retry.RunAsync(() => admission.Commit(tenant, reservationId, commit), idempotent: true)));
    }

    private static async Task<IResult> Release(string tenant, string reservationId, BudgetAdmission admission, ClusterRetry retry) =>
        TypedResults.Ok(ReleaseResponse.From(await retry.RunAsync(() => admission.Release(tenant, reservationId), idempotent: true)));

    private static async Task<IResult> RecordUsage(string tenant, HttpRequest request, BudgetAdmission admission, ClusterRetry retry)
    {
        var body = await JsonBody.ReadAsync<UsageBody>(request);
        var map = new RequestMapper();
        var usage = new UsageRequest(
            body.IdempotencyKey!,
            RequestMapper.Attributes(body.Attributes),
            map.AmountSpec("actual", body.Actual, ("llmUsage", body.LlmUsage), ("jobUsage", body.JobUsage)),
            body.Timestamp);
        map.ThrowIfInvalid(errors => RequestRules.Validate(usage, admission.Now, errors));
        return TypedResults.Ok(UsageResponse.From(await retry.RunAsync(() => admission.RecordUsage(tenant, usage), idempotent: true)));
    }
}
