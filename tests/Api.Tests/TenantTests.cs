using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>POST /v1/tenants and GET /v1/tenants/{tenant}.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class TenantTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    private static string NewId() => "tenant-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Admin_creates_a_tenant_201_and_reads_it_back()
    {
        var id = NewId();

        var response = await _api.PostAsync("/v1/tenants", host.AdminKey,
            $$"""{ "id": "{{id}}", "name": "Acme Corp", "currency": "EUR", "timezone": "Europe/Paris" }""");

        var created = response.Expect(HttpStatusCode.Created);
        Assert.Equal($"/v1/tenants/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, created.Str("id"));
        Assert.Equal("Acme Corp", created.Str("name"));
        Assert.Equal("EUR", created.Str("currency"));
        Assert.Equal("Europe/Paris", created.Str("timezone"));

        var read = (await _api.GetAsync($"/v1/tenants/{id}", host.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(id, read.Str("id"));
        Assert.Equal("Acme Corp", read.Str("name"));
        Assert.Equal("EUR", read.Str("currency"));
        Assert.Equal("Europe/Paris", read.Str("timezone"));
    }

    [Fact]
    public async Task A_tenant_key_reads_its_own_tenant()
    {
        var tenant = await host.NewTenantAsync("read");

        foreach (var key in new[] { tenant.ServiceKey, tenant.TenantAdminKey })
        {
            var read = (await _api.GetAsync(tenant.Path(), key)).Expect(HttpStatusCode.OK);
            Assert.Equal(tenant.Id, read.Str("id"));
            Assert.DoesNotContain(key, read.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_duplicate_tenant_id_is_409_and_the_first_tenant_is_kept()
    {
        var id = NewId();
        (await _api.PostAsync("/v1/tenants", host.AdminKey, $$"""{ "id": "{{id}}", "name": "First", "currency": "USD", "timezone": "UTC" }"""))
            .Expect(HttpStatusCode.Created);

        (await _api.PostAsync("/v1/tenants", host.AdminKey, $$"""{ "id": "{{id}}", "name": "Second", "currency": "EUR", "timezone": "UTC" }"""))
            .ExpectProblem(HttpStatusCode.Conflict);

        var read = (await _api.GetAsync($"/v1/tenants/{id}", host.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("First", read.Str("name"));
        Assert.Equal("USD", read.Str("currency"));
    }

    public static TheoryData<string, string, string, string> InvalidTenants => new()
    {
        // id, currency, timezone, the field named in errors
        { "bad!id", "USD", "UTC", "id" },
        { "has space", "USD", "UTC", "id" },
        { new string('t', 129), "USD", "UTC", "id" },
        { "", "USD", "UTC", "id" },
        { "{fresh}", "usd", "UTC", "currency" },
        { "{fresh}", "US", "UTC", "currency" },
        { "{fresh}", "DOLLARS", "UTC", "currency" },
        { "{fresh}", "USD", "Mars/Olympus_Mons", "timezone" },
        { "{fresh}", "USD", "", "timezone" },
    };

    [Theory]
    [MemberData(nameof(InvalidTenants))]
    public async Task An_invalid_tenant_is_400_naming_the_field_and_is_not_created(string id, string currency, string timezone, string field)
    {
        var fresh = id == "{fresh}";
        if (fresh)
        {
            id = NewId();
        }

        (await _api.PostAsync("/v1/tenants", host.AdminKey,
                $$"""{ "id": "{{id}}", "name": "Nope", "currency": "{{currency}}", "timezone": "{{timezone}}" }"""))
            .ExpectInvalid(field);

        if (fresh)
        {
            (await _api.GetAsync($"/v1/tenants/{id}", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_tenant_without_an_id_is_400()
    {
        (await _api.PostAsync("/v1/tenants", host.AdminKey, """{ "name": "No id", "currency": "USD", "timezone": "UTC" }"""))
            .ExpectInvalid("id");
    }

    [Fact]
    public async Task Only_the_admin_creates_tenants()
    {
        var tenant = await host.NewTenantAsync("creator");
        foreach (var key in new[] { tenant.TenantAdminKey, tenant.ServiceKey })
        {
            var id = NewId();
            (await _api.PostAsync("/v1/tenants", key, $$"""{ "id": "{{id}}", "name": "x", "currency": "USD", "timezone": "UTC" }"""))
                .ExpectProblem(HttpStatusCode.Forbidden);
            (await _api.GetAsync($"/v1/tenants/{id}", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task An_unknown_tenant_is_404()
    {
        (await _api.GetAsync($"/v1/tenants/{NewId()}", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }
}
