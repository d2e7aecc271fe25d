using System.CommandLine;
using BudgetActors.Cli.Http;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli;

/// <summary>The options every command takes, and where each falls back to when not given.</summary>
public static class CliOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The API's base address (default: $BUDGETACTORS_URL, else {DefaultUrl})",
        Recursive = true,
    };

    public static readonly Option<string?> Key = new("--key")
    {
        Description = "API key sent as a bearer token (default: $BUDGETACTORS_KEY)",
        Recursive = true,
    };

    public static readonly Option<string?> Tenant = new("--tenant", "-t")
    {
        Description = "Tenant id (default: $BUDGETACTORS_TENANT, else the tenant a tenant key belongs to)",
        Recursive = true,
    };

    public static readonly Option<string> Output = new Option<string>("--output", "-o")
    {
        Description = "table (for people) or json (the service's answer, for scripts)",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    }.AcceptOnlyFromAmong("table", "json");

    /// <summary>
    /// Tenant keys carry their tenant: <c>bak.{tenant as base64url}.{keyId}.{secret}</c> (the service reads
    /// it the same way, src/Domain/Keys/ApiKeys.cs). The admin key does not, and then --tenant is needed.
    /// </summary>
    public static string? TenantOfKey(string? key)
    {
        var parts = key?.Trim().Split('.');
        if (parts is not { Length: 4 } || parts[0] != "bak")
        {
            return null;
        }

        try
        {
            var base64 = parts[1].Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Everything a command needs from the global options, with the environment filled in.</summary>
    public static CliContext Context(ParseResult parse)
    {
        var url = parse.GetValue(Url) ?? Environment.GetEnvironmentVariable("BUDGETACTORS_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseAddress)
            || baseAddress.Scheme is not ("http" or "https"))
        {
            throw CliException.BadInput($"--url '{url}' is not an http(s) address");
        }

        var key = parse.GetValue(Key) ?? Environment.GetEnvironmentVariable("BUDGETACTORS_KEY");
        var tenant = parse.GetValue(Tenant) ?? Environment.GetEnvironmentVariable("BUDGETACTORS_TENANT") ?? TenantOfKey(key);
        var json = parse.GetValue(Output) == "json";
        return new CliContext(new ApiClient(baseAddress, string.IsNullOrWhiteSpace(key) ? null : key.Trim()), tenant, new Printer(json));
    }
}

/// <summary>A command's connection, its tenant (if any) and how it prints.</summary>
public sealed class CliContext(ApiClient api, string? tenant, Printer printer) : IDisposable
{
    public ApiClient Api { get; } = api;

    public Printer Print { get; } = printer;

    /// <summary>
    /// The tenant of a tenant-scoped command. The API does not say which tenant a key belongs to, so it
    /// has to be given.
    /// </summary>
    public string Tenant => string.IsNullOrWhiteSpace(tenant)
        ? throw CliException.BadInput("this command needs a tenant: give --tenant, set BUDGETACTORS_TENANT or use a tenant key")
        : tenant;

    /// <summary>A path under the tenant, each segment escaped.</summary>
    public string TenantPath(params string[] segments) =>
        "v1/tenants/" + Uri.EscapeDataString(Tenant) + string.Concat(segments.Select(s => "/" + s));

    public void Dispose() => Api.Dispose();
}
