using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Tenants, their keys, and roll-ups of their spend.</summary>
public static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenantEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/tenants", CreateTenant).Requires(ApiKeyRole.Admin)
            .Accepts<CreateTenantBody>("application/json").Produces<TenantResponse>(StatusCodes.Status201Created)
            .WithSummary("Create a tenant (admin).");
        v1.MapGet("/tenants/{tenant}", GetTenant).Requires(ApiKeyRole.Service)
            .Produces<TenantResponse>().WithSummary("A tenant's settings.");
        v1.MapPost("/tenants/{tenant}/keys", CreateKey).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<CreateKeyBody>("application/json").Produces<KeyResponse>(StatusCodes.Status201Created)
            .WithSummary("Issue an API key (role service or tenant-admin). The key is shown once.");
        v1.MapDelete("/tenants/{tenant}/keys/{keyId}", RevokeKey).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent).WithSummary("Revoke a key; it stops working at once.");
        v1.MapGet("/tenants/{tenant}/summary", TenantSummary).Requires(ApiKeyRole.Service)
            .Produces<SummaryResponse>().WithSummary("Roll-up of all the tenant's budgets.");
        v1.MapGet("/tenants/{tenant}/users/{user}/summary", UserSummary).Requires(ApiKeyRole.Service)
            .Produces<SummaryResponse>().WithSummary("Roll-up of the budgets scoped to one user.");
        return v1;
    }

    private static async Task<IResult> CreateTenant(HttpRequest request, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateTenantBody>(request);
        var v = new RequestValidator();
        var id = v.Id(body.Id, "id");
        var name = v.OptionalText(body.Name, "name", 256) ?? id;
        var currency = body.Currency ?? "USD";
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            v.Error("currency", "Must be an ISO 4217 code of three capital letters, such as USD.");
        }

        var timezone = body.Timezone ?? "UTC";
        if (!PeriodCalendar.IsKnownTimeZone(timezone))
        {
            v.Error("timezone", $"Unknown IANA time zone '{timezone}'.");
        }

        v.ThrowIfInvalid();
        var tenant = await grains.GetGrain<ITenantGrain>(id).Create(name, currency, timezone);
        return TypedResults.Created($"/v1/tenants/{id}", TenantResponse.From(tenant));
    }

    private static async Task<IResult> GetTenant(string tenant, IGrainFactory grains) =>
        await grains.GetGrain<ITenantGrain>(tenant).GetInfo() is { } info
            ? TypedResults.Ok(TenantResponse.From(info))
            : throw BudgetActorsException.TenantNotFound(tenant);

    private static async Task<IResult> CreateKey(string tenant, HttpRequest request, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateKeyBody>(request);
        var v = new RequestValidator();
        var role = v.Enum<ApiKeyRole>(body.Role, "role", required: true);
        if (role == ApiKeyRole.Admin)
        {
            v.Error("role", "Tenant keys are 'service' or 'tenant-admin'.");
        }

        var name = v.OptionalText(body.Name, "name", 128) ?? "";
        v.ThrowIfInvalid();
        var key = await grains.GetGrain<ITenantGrain>(tenant).IssueKey(role!.Value, name);
        return TypedResults.Created($"/v1/tenants/{tenant}/keys/{key.Id}", new KeyResponse(key.Id, key.Key, key.Role, key.Name));
    }

    private static async Task<IResult> RevokeKey(string tenant, string keyId, IGrainFactory grains)
    {
        var v = new RequestValidator();
        v.Id(keyId, "keyId");
        v.ThrowIfInvalid();
        return await grains.GetGrain<ITenantGrain>(tenant).RevokeKey(keyId)
            ? TypedResults.NoContent()
            : throw ApiProblem.NotFound($"Key '{keyId}' does not exist.");
    }

    private static async Task<IResult> TenantSummary(string tenant, IGrainFactory grains) =>
        TypedResults.Ok(SummaryResponse.From(await grains.GetGrain<ITenantGrain>(tenant).GetSummary()));

    private static async Task<IResult> UserSummary(string tenant, string user, IGrainFactory grains)
    {
        var v = new RequestValidator();
        v.Attributes(new() { ["user"] = user }, "path");
        v.ThrowIfInvalid();
        return TypedResults.Ok(SummaryResponse.From(await grains.GetGrain<IUserGrain>($"{tenant}/{user}").GetSummary()));
    }
}
