using System.Security.Claims;

namespace BudgetActors.ApiHost.Auth;

/// <summary>Who is calling: the admin, or a key of one tenant with one role.</summary>
public sealed record Caller(ApiKeyRole Role, string? TenantId, string KeyId)
{
    public const string RoleClaim = "budget-actors/role";
    public const string TenantClaim = "budget-actors/tenant";
    public const string KeyClaim = "budget-actors/key";

    public static Caller? From(ClaimsPrincipal user)
    {
        if (user is CallerPrincipal known)
        {
            return known.Caller;
        }

        if (user.Identity?.IsAuthenticated != true || !Enum.TryParse<ApiKeyRole>(user.FindFirstValue(RoleClaim), out var role))
        {
            return null;
        }

        return new Caller(role, user.FindFirstValue(TenantClaim), user.FindFirstValue(KeyClaim) ?? "");
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(RoleClaim, Role.ToString()), new(KeyClaim, KeyId) };
        if (TenantId is not null)
        {
            claims.Add(new Claim(TenantClaim, TenantId));
        }

        return new CallerPrincipal(this, new ClaimsIdentity(claims, scheme));
    }

    /// <summary>A principal that carries its caller, so that nothing has to read it back out of the claims on every request.</summary>
    private sealed class CallerPrincipal(Caller caller, ClaimsIdentity identity) : ClaimsPrincipal(identity)
    {
        public Caller Caller { get; } = caller;
    }

    /// <summary>
    /// Whether this caller may act on <paramref name="tenantId"/> with <paramref name="needed"/>:
    /// the admin everywhere; a tenant-admin key on its tenant for everything a tenant may do; a
    /// service key on its tenant for admission and reads.
    /// </summary>
    public bool May(string? tenantId, ApiKeyRole needed) => Role switch
    {
        ApiKeyRole.Admin => true,
        _ when needed == ApiKeyRole.Admin => false,
        _ when tenantId is null => needed == ApiKeyRole.Service, // a tenant-less read, such as an estimate: any key
        _ when tenantId != TenantId => false,
        ApiKeyRole.TenantAdmin => true,
        _ => needed == ApiKeyRole.Service,
    };
}
