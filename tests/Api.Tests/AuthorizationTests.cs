using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>403: a key used on another tenant, or beyond its role. Refusals change nothing.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class AuthorizationTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Keys_of_tenant_A_are_403_on_every_endpoint_of_tenant_B()
    {
        var a = await host.NewTenantAsync("tenant-a");
        var b = await Victim.CreateAsync(_api, await host.NewTenantAsync("tenant-b"));

        foreach (var key in new[] { a.TenantAdminKey, a.ServiceKey })
        {
            foreach (var call in b.Endpoints)
            {
                (await call.SendAsync(_api, key)).ExpectProblem(HttpStatusCode.Forbidden);
            }
        }

        await b.AssertUntouchedAsync(_api);
    }

    [Fact]
    public async Task A_key_of_tenant_A_cannot_reach_an_unknown_tenant_either()
    {
        var a = await host.NewTenantAsync("tenant-a");

        // 403 rather than 404: a tenant key learns nothing about which other tenants exist.
        (await _api.GetAsync("/v1/tenants/ghost-" + Guid.NewGuid().ToString("N")[..8], a.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_service_key_is_403_on_what_needs_a_tenant_admin_and_the_rest_works()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("roles"));
        var (adminOnly, serviceCalls) = Split(victim.Endpoints, Role.Service);

        foreach (var call in adminOnly)
        {
            (await call.SendAsync(_api, victim.Tenant.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);
        }

        await victim.AssertUntouchedAsync(_api);
        Assert.Contains(adminOnly, c => c.Name == "put budget");
        Assert.Contains(adminOnly, c => c.Name == "issue key");

        foreach (var call in serviceCalls)
        {
            var response = await call.SendAsync(_api, victim.Tenant.ServiceKey);
            Assert.True(response.Status == HttpStatusCode.OK, $"{call}: a service key must be let through, got {(int)response.Status}: {response.Text}");
        }
    }

    [Fact]
    public async Task A_tenant_admin_key_may_define_budgets_issue_keys_and_use_every_tenant_endpoint()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("roles"));
        var (adminOnly, tenantCalls) = Split(victim.Endpoints, Role.TenantAdmin);

        foreach (var call in adminOnly)
        {
            (await call.SendAsync(_api, victim.Tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);
        }

        foreach (var call in tenantCalls)
        {
            var response = await call.SendAsync(_api, victim.Tenant.TenantAdminKey);
            Assert.True(response.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent,
                $"{call}: a tenant-admin key must be let through, got {(int)response.Status}: {response.Text}");
        }
    }

    [Fact]
    public async Task A_service_key_cannot_define_a_budget_and_a_tenant_admin_key_can()
    {
        var tenant = await host.NewTenantAsync("roles");
        const string body = """{ "period": { "type": "daily" }, "limits": { "tokens": 100 } }""";

        (await _api.PutAsync(tenant.Path("/budgets/b"), tenant.ServiceKey, body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.GetAsync(tenant.Path("/budgets/b"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);

        (await _api.PutAsync(tenant.Path("/budgets/b"), tenant.TenantAdminKey, body)).Expect(HttpStatusCode.Created);
        (await _api.GetAsync(tenant.Path("/budgets/b"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_service_key_cannot_issue_keys_and_a_tenant_admin_key_can()
    {
        var tenant = await host.NewTenantAsync("roles");

        (await _api.PostAsync(tenant.Path("/keys"), tenant.ServiceKey, """{ "role": "service" }""")).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.PostAsync(tenant.Path("/keys"), tenant.ServiceKey, """{ "role": "tenant-admin" }""")).ExpectProblem(HttpStatusCode.Forbidden);

        var issued = (await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, """{ "role": "tenant-admin" }""")).Expect(HttpStatusCode.Created);
        (await _api.GetAsync(tenant.Path(), issued.Str("key"))).ExpectStatus(HttpStatusCode.OK);
    }

    /// <summary>The calls a key of <paramref name="role"/> may not make, and those it may.</summary>
    private static (EndpointCall[] Refused, EndpointCall[] Allowed) Split(IEnumerable<EndpointCall> calls, Role role)
    {
        // Destructive calls go last so that the calls before them still find what they act on.
        var ordered = calls.OrderBy(c => c.Name is "delete budget" or "revoke key" ? 1 : 0).ToArray();
        return ([.. ordered.Where(c => c.Needs > role)], [.. ordered.Where(c => c.Needs <= role)]);
    }
}
