using System.Globalization;
using System.Text.Json;
using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>The audit trail: who changed what, and what the system noticed.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/tenants/{tenant}/events", Events).Requires(ApiKeyRole.TenantAdmin)
            .WithSummary("The tenant's audit trail, oldest first, paged by cursor.")
            .WithDescription("Filters: budget (a budget id), type (an event type, e.g. budget.updated), since and until " +
                "(RFC 3339; since inclusive, until exclusive), limit (1–1000, default 100). 'next' is the cursor of the " +
                "following page, null at the end of the trail as it is now; a later call with that cursor sees events stored since. " +
                "Actor: the key id that made the change ('admin' for the bootstrap key), or 'system'.");
        return v1;
    }

    private static async Task<Ok<EventsResponse>> Events(string tenant, string? budget, string? type, string? since, string? until,
        string? cursor, string? limit, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (budget is not null && !Identifiers.IsId(budget))
        {
            errors.Add("budget", Identifiers.IdRule);
        }

        if (type is not null && !AuditEventTypes.All.Contains(type))
        {
            errors.Add("type", $"One of: {string.Join(", ", AuditEventTypes.All)}.");
        }

        var query = new AuditQuery(tenant, budget, type, QueryLimits.Time(since, "since", errors), QueryLimits.Time(until, "until", errors),
            QueryLimits.Cursor(cursor, errors) ?? 0, QueryLimits.Limit(limit, AuditQuery.DefaultLimit, AuditQuery.MaxLimit, errors));
        ApiProblem.ThrowIfAny(errors);
        await RequireTenant(tenant, grains);
        var page = await grains.GetGrain<IEventLogGrain>(0).Query(query);
        return TypedResults.Ok(new EventsResponse([.. page.Items.Select(EventResponse.From)], page.Next?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task RequireTenant(string tenant, IGrainFactory grains)
    {
        if (await grains.GetGrain<ITenantGrain>(tenant).GetInfo() is null)
        {
            throw BudgetActorsException.TenantNotFound(tenant);
        }
    }
}

public sealed record EventsResponse(IReadOnlyList<EventResponse> Items, string? Next);

public sealed record EventResponse(string Id, string Type, DateTimeOffset At, string Actor,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? BudgetId,
    JsonElement Data)
{
    public static EventResponse From(AuditEvent e) =>
        new(e.Id.ToString(CultureInfo.InvariantCulture), e.Type, e.At, e.Actor, e.BudgetId, JsonDocument.Parse(e.Data).RootElement.Clone());
}
