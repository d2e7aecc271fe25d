using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
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
    TenantDirectoryCache directory) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
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

        var caller = await Identify(key);
        return caller is null
            ? AuthenticateResult.Fail("The key is unknown or was revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
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

    private async Task<Caller?> Identify(string key)
    {
        if (adminKey.Matches(key))
        {
            return new Caller(ApiKeyRole.Admin, null, "admin");
        }

        if (!ApiKeys.TryParse(key, out var tenantId, out var keyId) || !Identifiers.IsId(tenantId))
        {
            return null;
        }

        var view = await directory.GetAsync(tenantId);
        return view?.FindKey(keyId) is { } record && ApiKeys.Verify(key, record.SecretHash)
            ? new Caller(record.Role, tenantId, keyId)
            : null;
    }

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

/// <summary>The bootstrap admin key, compared in constant time.</summary>
public sealed class AdminKey
{
    private readonly byte[] _hash;

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
