using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Directory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Overrides: more room on a budget for a while, asked for by one key and approved by another.</summary>
public static class OverrideEndpoints
{
    public static RouteGroupBuilder MapOverrideEndpoints(this RouteGroupBuilder v1)
    {
        var overrides = v1.MapGroup("/tenants/{tenant}/budgets/{budgetId}/overrides");
        overrides.MapPost("/", Request).Requires(ApiKeyRole.Service)
            .Accepts<OverrideRequestBody>("application/json")
            .WithSummary("Ask for higher limits for a while; pending until a tenant-admin approves or rejects it.")
            .WithDescription("raise: how much higher each metric's limit goes (only metrics the budget limits rise). " +
                "durationMinutes: how long an approval lasts, from the approval; without it, until the end of the budget's " +
                "period current at approval (required for a total budget). An alert of type budget.override goes out.");
        overrides.MapPost("/{overrideId}/approve", Approve).Requires(ApiKeyRole.TenantAdmin)
            .WithSummary("Approve a pending override: the limits rise at once until expiresAt, then return by themselves. " +
                "The key that requested it cannot approve it (403); a decided one is a 409.");
        overrides.MapPost("/{overrideId}/reject", Reject).Requires(ApiKeyRole.TenantAdmin)
            .WithSummary("Reject a pending override. The key that requested it cannot reject it (403); a decided one is a 409.");
        overrides.MapGet("/", List).Requires(ApiKeyRole.Service)
            .WithSummary("The budget's overrides, newest first; state=pending|approved|rejected|expired filters them.");
        v1.MapPost("/tenants/{tenant}/budgets/{budgetId}/emergency", Emergency).Requires(ApiKeyRole.Service)
            .Accepts<EmergencyBody>("application/json")
            .WithSummary("Take the budget's emergency allocation now: its limits rise by emergency.amount for the rest of the period.")
            .WithDescription("At most emergency.perPeriod times a period; past that, or without an emergency allocation, a 409. " +
                "Each use is a ledger entry (exact across crashes and replays), an emergency.used event and a budget.emergency alert.");
        return v1;
    }

    private static async Task<Ok<EmergencyResponse>> Emergency(string tenant, string budgetId, HttpRequest request, TenantDirectoryCache directory)
    {
        RequireIds(budgetId);
        var body = await JsonBody.ReadAsync<EmergencyUseBody>(request);
        var errors = new RequestErrors();
        OverrideRules.Reason(body.Reason, errors);
        ApiProblem.ThrowIfAny(errors);
        var view = await directory.RequireAsync(tenant);
        var used = await view.BudgetGrain(budgetId).UseEmergency(body.Reason!, view.Directory.Version)
            ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        return TypedResults.Ok(new EmergencyResponse(AmountResponse.From(used.Added), used.UsesLeft, BudgetSummaryResponse.From([used.Status])[0]));
    }

    private static async Task<Created<OverrideResponse>> Request(string tenant, string budgetId, HttpRequest request, IGrainFactory grains)
    {
        RequireIds(budgetId);
        var body = await JsonBody.ReadAsync<OverrideRequestBody>(request);
        var raise = body.Raise is { } r ? new Amount(r.Cost is { } c ? Amount.RoundCost(c) : 0m, r.Tokens ?? 0, r.Operations ?? 0) : null;
        ApiProblem.ThrowIfAny(OverrideRules.ValidateRequest(raise, body.Reason, body.DurationMinutes));
        var requested = await grains.GetGrain<ITenantGrain>(tenant).RequestOverride(budgetId, raise!, body.Reason!, body.DurationMinutes);
        return TypedResults.Created($"/v1/tenants/{tenant}/budgets/{budgetId}/overrides/{requested.Id}", OverrideResponse.From(requested));
    }

    private static Task<Ok<OverrideResponse>> Approve(string tenant, string budgetId, string overrideId, IGrainFactory grains) =>
        Decide(tenant, budgetId, overrideId, approve: true, grains);

    private static Task<Ok<OverrideResponse>> Reject(string tenant, string budgetId, string overrideId, IGrainFactory grains) =>
        Decide(tenant, budgetId, overrideId, approve: false, grains);

    private static async Task<Ok<OverrideResponse>> Decide(string tenant, string budgetId, string overrideId, bool approve, IGrainFactory grains)
    {
        RequireIds(budgetId, overrideId);
        var decided = await grains.GetGrain<ITenantGrain>(tenant).DecideOverride(budgetId, overrideId, approve);
        return TypedResults.Ok(OverrideResponse.From(decided));
    }

    private static async Task<Ok<ItemsResponse<OverrideResponse>>> List(string tenant, string budgetId, string? state, IGrainFactory grains)
    {
        RequireIds(budgetId);
        var map = new RequestMapper();
        var wanted = map.Enum<OverrideState>(state, "state", required: false);
        map.ThrowIfInvalid();
        var overrides = await grains.GetGrain<ITenantGrain>(tenant).ListOverrides(budgetId, wanted);
        return TypedResults.Ok(new ItemsResponse<OverrideResponse>([.. overrides.Select(OverrideResponse.From)]));
    }

    private static void RequireIds(string budgetId, string? overrideId = null)
    {
        var errors = new RequestErrors();
        if (!Identifiers.IsId(budgetId))
        {
            errors.Add("budgetId", Identifiers.IdRule);
        }

        if (overrideId is not null && !Identifiers.IsId(overrideId))
        {
            errors.Add("overrideId", Identifiers.IdRule);
        }

        ApiProblem.ThrowIfAny(errors);
    }
}

public sealed record EmergencyUseBody(string? Reason);

public sealed record EmergencyResponse(AmountResponse Added, int UsesLeft, BudgetSummaryResponse Budget);

public sealed record OverrideRequestBody(AmountBody? Raise, string? Reason, int? DurationMinutes);

public sealed record OverrideResponse(
    string Id,
    string BudgetId,
    OverrideState State,
    AmountResponse Raise,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    int? DurationMinutes,
    DateTimeOffset? ExpiresAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt)
{
    public static OverrideResponse From(BudgetOverride o) => new(o.Id, o.BudgetId, o.State, AmountResponse.From(o.Raise), o.Reason,
        o.RequestedBy, o.RequestedAt, o.DurationMinutes, o.ExpiresAt, o.DecidedBy, o.DecidedAt);
}
