using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BudgetActors.ApiHost.Cluster;
using BudgetActors.ApiHost.Http;
using BudgetActors.Grains.Directory;
using BudgetActors.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BudgetActors.ApiHost.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> — or HTTP Basic with the key as password,
/// so that a browser can open the dashboard. Tenant keys are checked against the hashes in the cached
/// tenant directory, which the tenant grain invalidates before a revocation answers.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKey adminKey,
    VerifiedKeys verified,
    TenantDirectoryCache directory,
    ClusterRetry retry) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return AuthenticateResult.NoResult();
        }

        var key = header.Scheme.ToLowerInvariant() switch
        {
            "bearer" => header.Parameter.Trim(),
            "basic" => PasswordOf(header.Parameter),
            _ => null,
        };
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <key>'.");
        }

        var principal = await Identify(key);
        return principal is null
            ? AuthenticateResult.Fail("The key is unknown or was revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(SchemeName);
        Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"BudgetActors\"";
        await ApiProblem.Unauthorized(result.Failure?.Message ?? "An API key is required: 'Authorization: Bearer <key>'.")
            .ToResult().ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblem.Forbidden("This key may not do that.").ToResult().ExecuteAsync(Context);

    private async Task<ClaimsPrincipal?> Identify(string key) =>
        (ApiKeys.LooksLikeTenantKey(key) ? await IdentifyTenantKey(key) : null)
        ?? (adminKey.Matches(key) ? adminKey.Principal : null);

    private async Task<ClaimsPrincipal?> IdentifyTenantKey(string key)
    {
        // A key seen before is checked against the directory as it is now, without hashing it again:
        // it still works only while the directory holds the very record it was verified against.
        if (verified.Find(key) is { } known)
        {
            if ((await Directory(known.Caller.TenantId!))?.FindKey(known.Caller.KeyId) == known.Record)
            {
                return known.Principal;
            }

            verified.Forget(key);
        }

        if (!ApiKeys.TryParse(key, out var tenantId, out var keyId) || !Identifiers.IsId(tenantId))
        {
            return null;
        }

        var view = await Directory(tenantId);
        if (view?.FindKey(keyId) is not { } record || !ApiKeys.Verify(key, record.SecretHash))
        {
            return null;
        }

        var caller = new Caller(record.Role, tenantId, keyId);
        return verified.Remember(key, caller, record, caller.ToPrincipal(SchemeName)).Principal;
    }

    // Reading the directory changes nothing: when its tenant grain's silo died, it is asked again.
    private Task<TenantView?> Directory(string tenantId) => retry.RunAsync(() => directory.GetAsync(tenantId).AsTask(), idempotent: true);

    private static string? PasswordOf(string basic)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
            var colon = text.IndexOf(':');
            return colon < 0 ? null : text[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Tenant keys that were verified (their hash compared) recently, so that a request does not hash its
/// key again: each entry names the directory record it was verified against, and counts only while
/// the directory still holds that record (a revocation or a rotation makes a new one). Only keys
/// that verified are kept, and at most a bounded number of them.
/// </summary>
public sealed class VerifiedKeys
{
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Verified> _keys = new(StringComparer.Ordinal);

    public Verified? Find(string key) => _keys.GetValueOrDefault(key);

    public void Forget(string key) => _keys.TryRemove(key, out _);

    public Verified Remember(string key, Caller caller, ApiKeyRecord record, ClaimsPrincipal principal)
    {
        if (_keys.Count >= Capacity)
        {
            _keys.Clear(); // many live keys: start over rather than grow
        }

        return _keys[key] = new Verified(caller, record, principal);
    }

    public sealed record Verified(Caller Caller, ApiKeyRecord Record, ClaimsPrincipal Principal);
}

/// <summary>The bootstrap admin key, compared in constant time.</summary>
public sealed class AdminKey
{
    private readonly byte[] _hash;

    /// <summary>The admin's principal, the same for every request.</summary>
    public ClaimsPrincipal Principal { get; } = new Caller(ApiKeyRole.Admin, null, "admin").ToPrincipal(ApiKeyAuthenticationHandler.SchemeName);

    public AdminKey(IOptions<AuthSettings> settings, ILogger<AdminKey> logger)
    {
        var key = settings.Value.AdminKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            key = "adm." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            logger.LogWarning("No Auth:AdminKey configured; this run's admin key is {AdminKey}", key);
        }

        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    public bool Matches(string key) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), _hash);
}
