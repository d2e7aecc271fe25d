using System.Security.Cryptography;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests.Hosting;

/// <summary>Every HTTP test class joins this collection, so they all share one host process.</summary>
[CollectionDefinition(Name)]
public sealed class ApiHostCollection : ICollectionFixture<ApiHostFixture>
{
    public const string Name = "ApiHost process";
}

/// <summary>
/// Starts one ApiHost process for the whole collection with a random admin key, and hands out
/// fresh tenants so that test classes do not see each other's spend.
/// </summary>
public class ApiHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(90);

    private ApiHostProcess? _host;
    private HttpClient? _http;

    public string AdminKey { get; } = "adm-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public ApiHostProcess Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public ApiClient Api { get; private set; } = null!;

    /// <summary>Settings of a host of its own (a derived fixture's); null: the shared host's.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    public async Task InitializeAsync()
    {
        _host = await ApiHostProcess.StartAsync(AdminKey, StartupDeadline, Environment);

        // Redirects are not followed: the tests look at them, and HttpClient drops Authorization on a redirect.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = _host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        Api = new ApiClient(_http, () => _host.RecentOutput);
    }

    /// <summary>A new tenant (id <c>{label}-{random}</c>, in <paramref name="currency"/>) with one tenant-admin key and one service key.</summary>
    public async Task<TestTenant> NewTenantAsync(string label, string currency = "USD")
    {
        var id = $"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        (await Api.PostAsync("/v1/tenants", AdminKey, $$"""{ "id": "{{id}}", "name": "{{label}}", "currency": "{{currency}}", "timezone": "UTC" }"""))
            .Expect(System.Net.HttpStatusCode.Created);
        var tenantAdminKey = await IssueKeyAsync(id, "tenant-admin");
        var serviceKey = await IssueKeyAsync(id, "service");
        return new TestTenant(Api, id, AdminKey, tenantAdminKey, serviceKey);
    }

    private async Task<string> IssueKeyAsync(string tenantId, string role)
    {
        var issued = (await Api.PostAsync($"/v1/tenants/{tenantId}/keys", AdminKey, $$"""{ "role": "{{role}}", "name": "{{role}} key" }"""))
            .Expect(System.Net.HttpStatusCode.Created);
        return issued.Str("key");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
