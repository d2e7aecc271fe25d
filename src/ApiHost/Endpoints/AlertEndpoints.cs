using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;
using BudgetActors.Alerts;
using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Alerts;
using BudgetActors.Grains.Directory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Alert channels, the alert feed and acknowledgement.</summary>
public static class AlertEndpoints
{
    public static RouteGroupBuilder MapAlertEndpoints(this RouteGroupBuilder v1)
    {
        var channels = v1.MapGroup("/tenants/{tenant}/channels");
        channels.MapPut("/{channelId}", PutChannel).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<ChannelBody>("application/json")
            .WithSummary("Create (201) or replace (200) an alert channel: webhook, slack, email or in-app.")
            .WithDescription("Webhook and Slack URLs must be https and public (not loopback, link-local or private), unless the host runs " +
                "with Alerts__AllowInsecureUrls / Alerts__AllowPrivateNetworks. A new webhook channel's answer shows its signing " +
                "secret ('whsec_…') once; saving it again keeps the secret and does not show it.");
        channels.MapGet("/{channelId}", GetChannel).Requires(ApiKeyRole.TenantAdmin).WithSummary("A channel (without its secret).");
        channels.MapGet("/", ListChannels).Requires(ApiKeyRole.TenantAdmin).WithSummary("The tenant's channels (without secrets).");
        channels.MapDelete("/{channelId}", DeleteChannel).Requires(ApiKeyRole.TenantAdmin)
            .WithSummary("Delete a channel; deliveries still due to it fail with 'no such channel'.");
        channels.MapPost("/{channelId}/test", TestChannel).Requires(ApiKeyRole.TenantAdmin)
            .WithSummary("Send a budget.test message to the channel now and say whether it was delivered (one try, not retried).");

        var alerts = v1.MapGroup("/tenants/{tenant}/alerts");
        alerts.MapGet("/", Feed).Requires(ApiKeyRole.Service)
            .WithSummary("The alert feed, newest first: state=open|acknowledged, budget, cursor (from 'next'), limit (1–500, default 50).")
            .WithDescription("Each alert lists its deliveries per channel and purpose (alert, or escalation): pending, delivered, failed " +
                "or suppressed (held back by cooldownMinutes or maxPerHour; never sent). The feed keeps the newest 1,000 alerts; " +
                "the audit trail keeps them all.");
        alerts.MapPost("/{alertId}/ack", Acknowledge).Requires(ApiKeyRole.Service)
            .WithSummary("Acknowledge an alert: it stops escalating. Acknowledging again changes nothing.");
        return v1;
    }

    private static async Task<Results<Created<ChannelResponse>, Ok<ChannelResponse>>> PutChannel(
        string tenant, string channelId, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        await directory.RequireAsync(tenant);
        var body = await JsonBody.ReadAsync<ChannelBody>(request);
        var saved = await grains.GetGrain<IAlertsGrain>(tenant).PutChannel(channelId, body.Type, body.Url, [.. body.To ?? []]);
        var response = ChannelResponse.From(saved.Channel, saved.Secret);
        return saved.Created
            ? TypedResults.Created($"/v1/tenants/{tenant}/channels/{channelId}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Ok<ChannelResponse>> GetChannel(string tenant, string channelId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        await directory.RequireAsync(tenant);
        var channel = await grains.GetGrain<IAlertsGrain>(tenant).GetChannel(channelId) ?? throw BudgetActorsException.NotFound($"Channel '{channelId}'");
        return TypedResults.Ok(ChannelResponse.From(channel, null));
    }

    private static async Task<Ok<ItemsResponse<ChannelResponse>>> ListChannels(string tenant, IGrainFactory grains, TenantDirectoryCache directory)
    {
        await directory.RequireAsync(tenant);
        var channels = await grains.GetGrain<IAlertsGrain>(tenant).ListChannels();
        return TypedResults.Ok(new ItemsResponse<ChannelResponse>([.. channels.Select(c => ChannelResponse.From(c, null))]));
    }

    private static async Task<NoContent> DeleteChannel(string tenant, string channelId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        await directory.RequireAsync(tenant);
        return await grains.GetGrain<IAlertsGrain>(tenant).DeleteChannel(channelId)
            ? TypedResults.NoContent()
            : throw BudgetActorsException.NotFound($"Channel '{channelId}'");
    }

    private static async Task<Ok<ChannelTestResponse>> TestChannel(string tenant, string channelId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        await directory.RequireAsync(tenant);
        var result = await grains.GetGrain<IChannelTesterGrain>(0).Test(tenant, channelId);
        return TypedResults.Ok(new ChannelTestResponse(result.MessageId, result.Delivered ? "delivered" : "failed", result.Error));
    }

    private static async Task<Ok<AlertsResponse>> Feed(string tenant, string? state, string? budget, string? cursor, string? limit,
        IGrainFactory grains, TenantDirectoryCache directory)
    {
        var errors = new RequestErrors();
        bool? acknowledged = state switch
        {
            null => null,
            "open" => false,
            "acknowledged" => true,
            _ => Error<bool?>(errors, "state", "One of: open, acknowledged."),
        };
        if (budget is not null && !Identifiers.IsId(budget))
        {
            errors.Add("budget", Identifiers.IdRule);
        }

        var before = 0L;
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out before) || before <= 0))
        {
            errors.Add("cursor", "A cursor from the 'next' of an earlier page.");
        }

        var query = new AlertFeedQuery(acknowledged, budget, before,
            QueryLimits.Limit(limit, AlertFeedQuery.DefaultLimit, AlertFeedQuery.MaxLimit, errors));
        ApiProblem.ThrowIfAny(errors);
        await directory.RequireAsync(tenant);
        var page = await grains.GetGrain<IAlertsGrain>(tenant).Feed(query);
        return TypedResults.Ok(new AlertsResponse([.. page.Items.Select(AlertResponse.From)], page.Next?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<Ok<AlertResponse>> Acknowledge(string tenant, string alertId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        if (!Identifiers.IsId(alertId))
        {
            throw ApiProblem.Invalid("alertId", Identifiers.IdRule);
        }

        await directory.RequireAsync(tenant);
        return TypedResults.Ok(AlertResponse.From(await grains.GetGrain<IAlertsGrain>(tenant).Acknowledge(alertId)));
    }

    private static T Error<T>(RequestErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return default!;
    }
}

public sealed record ChannelBody(string? Type, string? Url, List<string>? To);

public sealed record ChannelResponse(
    string Id,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? To,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static ChannelResponse From(AlertChannel c, string? secret) =>
        new(c.Id, c.Type.ToWire(), c.Url, c.Recipients.IsEmpty ? null : c.Recipients, secret);
}

public sealed record ChannelTestResponse(string MessageId, string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

public sealed record AlertsResponse(IReadOnlyList<AlertResponse> Items, string? Next);

public sealed record AlertDeliveryResponse(string Channel, string Purpose, string Status, int Attempts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastError);

public sealed record AlertResponse(
    string Id,
    string Type,
    string BudgetId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Threshold,
    decimal Utilization,
    string Message,
    DateTimeOffset CreatedAt,
    ImmutableArray<AlertDeliveryResponse> Deliveries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? AcknowledgedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AcknowledgedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EscalatedAt)
{
    public static AlertResponse From(AlertView a) => new(a.Id, a.Type, a.BudgetId, a.Threshold, a.Utilization, a.Message, a.CreatedAt,
        [.. a.Deliveries.Select(d => new AlertDeliveryResponse(d.Channel, d.Purpose, d.Status, d.Attempts, d.LastError))],
        a.AcknowledgedAt, a.AcknowledgedBy, a.EscalatedAt);
}
