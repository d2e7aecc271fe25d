using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>
/// <c>GET /ui</c>: the web dashboard. Its HTML, CSS and JavaScript modules live in <c>src/ApiHost/Ui</c>
/// and are built into this assembly, so every way of running the host (dotnet run, the built dll,
/// a test's copy of it) serves the same files with no wwwroot to find. The files hold no data and
/// need no key: the page signs in with a tenant key itself and calls the /v1 API with it.
/// </summary>
public static class UiEndpoints
{
    public const string Path = "/ui";

    private const string ResourcePrefix = "ui/";

    // The page only talks to its own origin and runs only its own files, so an injected string can
    // neither run script nor send the key in session storage elsewhere.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly Lazy<FrozenDictionary<string, UiFile>> Files = new(Load);

    public static IEndpointRouteBuilder MapUiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path + "/{**file}", Serve)
            .AllowAnonymous()
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status304NotModified)
            .Produces(StatusCodes.Status404NotFound)
            .WithSummary("The web dashboard (no key needed for its files): open /ui/ in a browser and sign in with a tenant key.")
            .WithDescription("Static HTML, CSS and JavaScript modules built into the host. The page keeps the key in the browser's session " +
                "storage and sends it as a bearer header to the /v1 endpoints, never in a URL. It shows the budget tree by scope, live " +
                "(the budget list polled every second), a budget's 30-day trend with its forecast and spend records, the alert feed " +
                "(acknowledge), overrides (approve / reject), the audit trail and the report. file: index.html when empty.");
        return app;
    }

    private static IResult Serve(string? file, HttpContext context)
    {
        if (string.IsNullOrEmpty(file) && !context.Request.Path.Value!.EndsWith('/'))
        {
            // Relative links in the page resolve against /ui/, so the bare path moves there.
            return Results.Redirect($"{context.Request.PathBase}{Path}/");
        }

        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        if (!Files.Value.TryGetValue(name, out var found))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";

        // Revalidated on every load (cheap: an ETag match is a 304), so an upgraded host's page is never mixed with old modules.
        headers.CacheControl = "no-cache";
        headers.ETag = found.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == found.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(found.Content, found.ContentType);
    }

    private static FrozenDictionary<string, UiFile> Load()
    {
        var assembly = typeof(UiEndpoints).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(
                resource => resource[ResourcePrefix.Length..].Replace('\\', '/'),
                resource => UiFile.Read(assembly, resource),
                StringComparer.Ordinal);
    }

    private sealed record UiFile(byte[] Content, string ContentType, string ETag)
    {
        public static UiFile Read(Assembly assembly, string resource)
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The embedded resource {resource} cannot be read.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"").ToString();
            return new UiFile(content, ContentTypeOf(resource), etag);
        }

        private static string ContentTypeOf(string resource) => System.IO.Path.GetExtension(resource) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
    }
}
