using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>POST /v1/tenants/{tenant}/keys and DELETE /v1/tenants/{tenant}/keys/{keyId}.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class KeyTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Theory]
    [InlineData("service")]
    [InlineData("tenant-admin")]
    public async Task Issuing_a_key_answers_201_with_the_key_which_then_works(string role)
    {
        var tenant = await host.NewTenantAsync("keys");

        var response = await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, $$"""{ "role": "{{role}}", "name": "worker 1" }""");

        var issued = response.Expect(HttpStatusCode.Created);
        var keyId = issued.Str("id");
        var key = issued.Str("key");
        Assert.Equal(role, issued.Str("role"));
        Assert.False(string.IsNullOrWhiteSpace(keyId));
        Assert.Contains(keyId, key, StringComparison.Ordinal); // the key carries its id; the secret is the rest
        Assert.True(key.Length > keyId.Length + 32, "the key must carry a long secret");
        Assert.Equal(tenant.Path($"/keys/{keyId}"), response.Headers.Location?.OriginalString);

        var read = (await _api.GetAsync(tenant.Path(), key)).Expect(HttpStatusCode.OK);
        Assert.Equal(tenant.Id, read.Str("id"));
    }

    [Fact]
    public async Task Each_issued_key_is_new()
    {
        var tenant = await host.NewTenantAsync("keys");
        var first = (await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, """{ "role": "service" }""")).Expect(HttpStatusCode.Created);
        var second = (await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, """{ "role": "service" }""")).Expect(HttpStatusCode.Created);

        Assert.NotEqual(first.Str("id"), second.Str("id"));
        Assert.NotEqual(first.Str("key"), second.Str("key"));
    }

    [Theory]
    [InlineData("""{ "role": "owner" }""")]
    [InlineData("""{ "role": "admin" }""")]
    [InlineData("""{ "role": "Service" }""")]
    [InlineData("""{ "name": "no role" }""")]
    public async Task A_key_with_an_unknown_or_missing_role_is_400(string body)
    {
        var tenant = await host.NewTenantAsync("keys");

        (await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, body)).ExpectInvalid("role");
    }

    [Fact]
    public async Task Issuing_a_key_for_an_unknown_tenant_is_404()
    {
        (await _api.PostAsync("/v1/tenants/no-such-tenant-" + Guid.NewGuid().ToString("N")[..8] + "/keys", host.AdminKey, """{ "role": "service" }"""))
            .ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var tenant = await host.NewTenantAsync("revoke");
        var issued = (await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, """{ "role": "service", "name": "doomed" }"""))
            .Expect(HttpStatusCode.Created);
        var key = issued.Str("key");
        (await _api.GetAsync(tenant.Path(), key)).ExpectStatus(HttpStatusCode.OK); // works, and is now cached

        (await _api.DeleteAsync(tenant.Path($"/keys/{issued.Str("id")}"), tenant.TenantAdminKey)).Expect(HttpStatusCode.NoContent);

        // The very next request, without any wait.
        (await _api.GetAsync(tenant.Path(), key)).ExpectProblem(HttpStatusCode.Unauthorized);
        (await _api.PostAsync(tenant.Path("/check"), key, """{ "estimate": { "cost": 1 } }""")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_tenant_admin_key_cannot_revoke_or_issue_any_more()
    {
        var tenant = await host.NewTenantAsync("revoke");
        var issued = (await _api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, """{ "role": "tenant-admin" }""")).Expect(HttpStatusCode.Created);
        var key = issued.Str("key");

        (await _api.DeleteAsync(tenant.Path($"/keys/{issued.Str("id")}"), key)).Expect(HttpStatusCode.NoContent); // revokes itself

        (await _api.PostAsync(tenant.Path("/keys"), key, """{ "role": "service" }""")).ExpectProblem(HttpStatusCode.Unauthorized);
        (await _api.GetAsync(tenant.Path(), tenant.TenantAdminKey)).ExpectStatus(HttpStatusCode.OK); // the other keys are untouched
        (await _api.GetAsync(tenant.Path(), tenant.ServiceKey)).ExpectStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404_and_revoking_twice_is_404()
    {
        var tenant = await host.NewTenantAsync("revoke");
        (await _api.DeleteAsync(tenant.Path("/keys/key-0000000000000000"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.NotFound);

        var issued = (await _api.PostAsync(tenant.Path("/keys"), tenant.AdminKey, """{ "role": "service" }""")).Expect(HttpStatusCode.Created);
        (await _api.DeleteAsync(tenant.Path($"/keys/{issued.Str("id")}"), tenant.AdminKey)).Expect(HttpStatusCode.NoContent);
        (await _api.DeleteAsync(tenant.Path($"/keys/{issued.Str("id")}"), tenant.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }
}
