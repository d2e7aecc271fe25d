using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Audit;
using Microsoft.AspNetCore.Authentication;

namespace BudgetActors.ApiHost.Auth;

/// <summary>The role an endpoint needs; the tenant comes from the route's <c>{tenant}</c>.</summary>
public sealed record RequiredRole(ApiKeyRole Role);

/// <summary>
/// Refuses a call before the endpoint runs: 401 without a valid key, 403 when the key belongs to
/// another tenant or lacks the role. Keys of one tenant learn nothing about other tenants.
/// </summary>
public sealed class CallerFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Caller.From(http.User) is not { } caller)
        {
            var failure = (await http.AuthenticateAsync()).Failure?.Message;
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiProblem.Unauthorized(failure ?? "An API key is required: 'Authorization: Bearer <key>'.").ToResult();
        }

        var needed = http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiKeyRole.Admin;
        var tenantId = http.Request.RouteValues.TryGetValue("tenant", out var t) ? t as string : null;
        if (!caller.May(tenantId, needed))
        {
            return ApiProblem.Forbidden(caller.TenantId is { } own && tenantId is not null && own != tenantId
                ? "This key belongs to another tenant."
                : $"This needs a {RequestMapper.Names<ApiKeyRole>().ElementAt((int)needed)} key.").ToResult();
        }

        if (tenantId is not null && !Identifiers.IsId(tenantId))
        {
            return ApiProblem.Invalid("tenant", Identifiers.IdRule).ToResult();
        }

        AuditActor.Set(caller.KeyId); // every grain this request reaches records its changes as this key's
        return await next(context);
    }
}

public static class CallerEndpointExtensions
{
    public static TBuilder Requires<TBuilder>(this TBuilder builder, ApiKeyRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRole(role));
}
