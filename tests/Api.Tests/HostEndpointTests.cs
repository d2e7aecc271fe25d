using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>The endpoints outside /v1: health, the OpenAPI document and the dashboard.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class HostEndpointTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Healthz_answers_200_without_a_key()
    {
        var health = (await _api.GetAsync("/healthz", key: null)).Expect(HttpStatusCode.OK);

        Assert.Equal("ok", health.Str("status"));
        Assert.True(health.Long("silos") >= 1);
    }

    [Fact]
    public async Task OpenApi_document_needs_no_key_and_lists_every_v1_path()
    {
        var document = (await _api.GetAsync("/openapi/v1.json", key: null)).Expect(HttpStatusCode.OK);

        var paths = document.At("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(m => m.Name).ToHashSet());
        var expected = new (string Path, string Method)[]
        {
            ("/v1/tenants", "post"),
            ("/v1/tenants/{tenant}", "get"),
            ("/v1/tenants/{tenant}/keys", "post"),
            ("/v1/tenants/{tenant}/keys/{keyId}", "delete"),
            ("/v1/tenants/{tenant}/budgets", "get"),
            ("/v1/tenants/{tenant}/budgets/{budgetId}", "put"),
            ("/v1/tenants/{tenant}/budgets/{budgetId}", "get"),
            ("/v1/tenants/{tenant}/budgets/{budgetId}", "delete"),
            ("/v1/tenants/{tenant}/budgets/{budgetId}/history", "get"),
            ("/v1/tenants/{tenant}/check", "post"),
            ("/v1/tenants/{tenant}/reservations", "post"),
            ("/v1/tenants/{tenant}/reservations/{reservationId}/commit", "post"),
            ("/v1/tenants/{tenant}/reservations/{reservationId}/release", "post"),
            ("/v1/tenants/{tenant}/usage", "post"),
            ("/v1/tenants/{tenant}/summary", "get"),
            ("/v1/tenants/{tenant}/users/{user}/summary", "get"),
        };
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetValue(path, out var methods) && methods.Contains(method),
                $"The OpenAPI document lacks {method.ToUpperInvariant()} {path}; it has: {string.Join(", ", paths.Keys)}");
        }
    }

    [Fact]
    public async Task Dashboard_without_a_key_is_401()
    {
        var response = await _api.GetAsync("/dashboard", key: null);

        response.ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Dashboard_with_a_tenant_key_is_403()
    {
        var tenant = await host.NewTenantAsync("dash");

        (await _api.GetAsync("/dashboard/", tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Dashboard_with_the_admin_key_redirects_to_its_page_which_is_served()
    {
        var redirect = await _api.GetAsync("/dashboard", host.AdminKey);
        Assert.True(redirect.Status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect
            or HttpStatusCode.PermanentRedirect, $"expected a redirect, got {(int)redirect.Status}");
        var location = redirect.Headers.Location ?? throw new Xunit.Sdk.XunitException("The redirect has no Location.");
        Assert.Equal("/dashboard/", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);

        // Followed by hand: HttpClient would drop the Authorization header on the way.
        var page = await _api.GetAsync(location.OriginalString, host.AdminKey);
        page.ExpectStatus(HttpStatusCode.OK);
        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("<html", page.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_accepts_the_admin_key_as_a_basic_password_for_browsers()
    {
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + host.AdminKey)));

        var page = await _api.SendAsync(HttpMethod.Get, "/dashboard/", content: null, basic);

        page.ExpectStatus(HttpStatusCode.OK);
        Assert.Equal("text/html", page.MediaType);
    }

    [Fact]
    public async Task Answers_are_json_and_routing_errors_are_problems_too()
    {
        var tenant = await host.NewTenantAsync("format");
        Assert.Equal("application/json", (await _api.GetAsync(tenant.Path(), tenant.ServiceKey)).MediaType);

        // A method the path does not have (PATCH it does since tiers: a tenant's defaultTier).
        (await _api.SendAsync(HttpMethod.Put, tenant.Path(), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.MethodNotAllowed);
        (await _api.GetAsync("/v1/no-such-endpoint", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }
}
