using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Directory;

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
            .Produces<SummaryResponse>().WithSummary("Roll-up of all the tenant's budgets, with the allocation check (nested budgets' limits summed against their parent's, flagged when over).");
        v1.MapGet("/tenants/{tenant}/users/{user}/summary", UserSummary).Requires(ApiKeyRole.Service)
            .Produces<SummaryResponse>().WithSummary("Roll-up of the budgets scoped to one user, with the allocation check among them.");
        return v1;
    }

    private static async Task<IResult> CreateTenant(HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var body = await JsonBody.ReadAsync<CreateTenantBody>(request);
        var (name, currency, timezone) = (body.Name ?? body.Id, body.Currency ?? "USD", body.Timezone ?? "UTC");
        ApiProblem.ThrowIfAny(TenantRules.ValidateTenant(body.Id, name, currency, timezone));
        var tenant = await grains.GetGrain<ITenantGrain>(body.Id!).Create(name!, currency, timezone);
        await directory.Invalidate(tenant.Id); // this host may have cached that the tenant did not exist
        return TypedResults.Created($"/v1/tenants/{tenant.Id}", TenantResponse.From(tenant));
    }

    private static async Task<IResult> GetTenant(string tenant, IGrainFactory grains) =>
        await grains.GetGrain<ITenantGrain>(tenant).GetInfo() is { } info
            ? TypedResults.Ok(TenantResponse.From(info))
            : throw BudgetActorsException.TenantNotFound(tenant);

    private static async Task<IResult> CreateKey(string tenant, HttpRequest request, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateKeyBody>(request);
        var map = new RequestMapper();
        var role = map.Enum<ApiKeyRole>(body.Role, "role", required: true);
        map.ThrowIfInvalid(errors => TenantRules.ValidateKey(role ?? ApiKeyRole.Service, body.Name ?? "", errors));
        var key = await grains.GetGrain<ITenantGrain>(tenant).IssueKey(role!.Value, body.Name ?? "");
        return TypedResults.Created($"/v1/tenants/{tenant}/keys/{key.Id}", new KeyResponse(key.Id, key.Key, key.Role, key.Name));
    }

    private static async Task<IResult> RevokeKey(string tenant, string keyId, IGrainFactory grains)
    {
        if (!Identifiers.IsId(keyId))
        {
            throw ApiProblem.Invalid("keyId", Identifiers.IdRule);
        }

        return await grains.GetGrain<ITenantGrain>(tenant).RevokeKey(keyId)
            ? TypedResults.NoContent()
            : throw ApiProblem.NotFound($"Key '{keyId}' does not exist.");
    }

    private static async Task<IResult> TenantSummary(string tenant, IGrainFactory grains) =>
        TypedResults.Ok(SummaryResponse.From(await grains.GetGrain<ITenantGrain>(tenant).GetSummary()));

    private static async Task<IResult> UserSummary(string tenant, string user, IGrainFactory grains)
    {
        if (!Identifiers.IsAttributeValue(user))
        {
            throw ApiProblem.Invalid("user", Identifiers.AttributeValueRule);
        }

        return TypedResults.Ok(SummaryResponse.From(await grains.GetGrain<IUserGrain>($"{tenant}/{user}").GetSummary()));
    }
}
