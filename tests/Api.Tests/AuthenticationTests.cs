using System.Net;
using System.Net.Http.Headers;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>401: no key, an unknown key, a malformed key, a revoked key — on every /v1 endpoint, changing nothing.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class AuthenticationTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Every_v1_endpoint_without_a_key_is_401_and_changes_nothing()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("auth"));

        foreach (var call in victim.Endpoints)
        {
            var response = await call.SendAsync(_api, key: null);
            response.ExpectProblem(HttpStatusCode.Unauthorized);
            Assert.True(response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"), $"{call}: 401 must offer the Bearer scheme");
        }

        await victim.AssertUntouchedAsync(_api);
    }

    [Fact]
    public async Task Every_v1_endpoint_with_a_revoked_key_is_401()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("auth"));
        var issued = (await _api.PostAsync(victim.Tenant.Path("/keys"), victim.Tenant.TenantAdminKey, """{ "role": "tenant-admin" }"""))
            .Expect(HttpStatusCode.Created);
        var revoked = issued.Str("key");
        (await _api.DeleteAsync(victim.Tenant.Path($"/keys/{issued.Str("id")}"), victim.Tenant.TenantAdminKey)).Expect(HttpStatusCode.NoContent);

        foreach (var call in victim.Endpoints)
        {
            (await call.SendAsync(_api, revoked)).ExpectProblem(HttpStatusCode.Unauthorized);
        }

        await victim.AssertUntouchedAsync(_api);
    }

    [Fact]
    public async Task Unknown_and_garbage_keys_are_401_and_change_nothing()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("auth"));
        var real = victim.Tenant.ServiceKey;
        var lastDot = real.LastIndexOf('.');
        var parts = real.Split('.');
        var badKeys = new Dictionary<string, string>
        {
            ["garbage"] = "hello-world",
            ["almost the admin key"] = host.AdminKey + "x",
            ["the admin key cut short"] = host.AdminKey[..^1],
            ["right key id, wrong secret"] = real[..(lastDot + 1)] + new string('A', real.Length - lastDot - 1),
            ["unknown key id"] = string.Join('.', parts[0], parts[1], "key-0123456789abcdef", parts[3]),
            ["unknown tenant"] = string.Join('.', parts[0], "Z2hvc3QtdGVuYW50", parts[2], parts[3]),
            ["undecodable tenant"] = string.Join('.', parts[0], "!!!", parts[2], parts[3]),
            ["too few parts"] = string.Join('.', parts[0], parts[1], parts[3]),
            ["trailing junk"] = real + ".x",
        };

        foreach (var (what, key) in badKeys)
        {
            var check = await _api.PostAsync(victim.Tenant.Path("/check"), key, """{ "estimate": { "cost": 1 } }""");
            Assert.True(check.Status == HttpStatusCode.Unauthorized, $"{what}: expected 401, got {(int)check.Status}");
            check.ExpectProblem(HttpStatusCode.Unauthorized);
            (await _api.PostAsync(victim.Tenant.Path("/usage"), key, """{ "idempotencyKey": "intruder", "actual": { "cost": 50 } }"""))
                .ExpectProblem(HttpStatusCode.Unauthorized);
        }

        await victim.AssertUntouchedAsync(_api);
    }

    [Fact]
    public async Task A_key_of_one_tenant_relabelled_as_another_tenant_is_401()
    {
        var a = await host.NewTenantAsync("auth-a");
        var b = await Victim.CreateAsync(_api, await host.NewTenantAsync("auth-b"));
        var aParts = a.TenantAdminKey.Split('.');
        var bParts = b.Tenant.ServiceKey.Split('.');
        var forged = string.Join('.', aParts[0], bParts[1], aParts[2], aParts[3]); // B's tenant part, A's key id and secret

        foreach (var call in b.Endpoints)
        {
            (await call.SendAsync(_api, forged)).ExpectProblem(HttpStatusCode.Unauthorized);
        }

        await b.AssertUntouchedAsync(_api);
    }

    [Theory]
    [InlineData("Bearer", "")]
    [InlineData("Token", "{service}")]
    [InlineData("Basic", "not base64!")]
    [InlineData("Basic", "bm8tY29sb24=")] // "no-colon": no password part
    public async Task Malformed_authorization_headers_are_401(string scheme, string parameter)
    {
        var tenant = await host.NewTenantAsync("auth");
        var header = parameter.Length == 0
            ? new AuthenticationHeaderValue(scheme)
            : new AuthenticationHeaderValue(scheme, parameter.Replace("{service}", tenant.ServiceKey));

        (await _api.SendAsync(HttpMethod.Get, tenant.Path(), content: null, header)).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_admin_key_works_on_every_endpoint_of_every_tenant()
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("auth"));

        foreach (var call in victim.Endpoints)
        {
            var response = await call.SendAsync(_api, host.AdminKey);
            Assert.True(response.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent,
                $"{call}: the admin key must be let through, got {(int)response.Status}: {response.Text}");
        }
    }
}
