using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Ids in the path must be 1–128 characters of [A-Za-z0-9._:@-]; anything else is a 400 that changes nothing.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class BadPathTests(ApiHostFixture host)
{
    private static readonly string Id129 = new('i', 129);

    private readonly ApiClient _api = host.Api;

    public static TheoryData<string, string, string?, string> BadIdsOfATenant => new()
    {
        // method, path below /v1/tenants/{tenant}, body, the field named in errors
        { "PUT", "/budgets/{129}", Budget, "budgetId" },
        { "PUT", "/budgets/bad!id", Budget, "budgetId" },
        { "PUT", "/budgets/bad%20id", Budget, "budgetId" },
        { "PUT", "/budgets/bad%2Fid", Budget, "budgetId" },
        { "PUT", "/budgets/b%C3%A9b%C3%A9", Budget, "budgetId" },
        { "GET", "/budgets/bad!id", null, "budgetId" },
        { "GET", "/budgets/{129}", null, "budgetId" },
        { "DELETE", "/budgets/bad!id", null, "budgetId" },
        { "GET", "/budgets/bad!id/history", null, "budgetId" },
        { "POST", "/reservations/res!x/commit", """{ "actual": { "cost": 1 } }""", "reservationId" },
        { "POST", "/reservations/{129}/commit", """{ "actual": { "cost": 1 } }""", "reservationId" },
        { "POST", "/reservations/res!x/release", null, "reservationId" },
        { "POST", "/reservations/{129}/release", null, "reservationId" },
        { "DELETE", "/keys/key!x", null, "keyId" },
        { "DELETE", "/keys/{129}", null, "keyId" },
    };

    [Theory]
    [MemberData(nameof(BadIdsOfATenant))]
    public async Task A_bad_id_in_the_path_is_400_and_changes_nothing(string method, string path, string? body, string field)
    {
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("path"));

        var response = await _api.SendAsync(new HttpMethod(method), victim.Tenant.Path(path.Replace("{129}", Id129)),
            victim.Tenant.TenantAdminKey, body is null ? null : ApiClient.Body(body));

        response.ExpectInvalid(field);
        await victim.AssertUntouchedAsync(_api);
    }

    [Theory]
    [InlineData("bad!tenant")]
    [InlineData("bad%20tenant")]
    [InlineData("{129}")]
    public async Task A_bad_tenant_id_in_the_path_is_400_on_every_tenant_endpoint(string tenantId)
    {
        var calls = EndpointCatalog.For(tenantId.Replace("{129}", Id129), "b", "res-1", "key-1").Where(c => c.Needs != Role.Admin);

        foreach (var call in calls)
        {
            (await call.SendAsync(_api, host.AdminKey)).ExpectInvalid("tenant");
        }
    }

    [Fact]
    public async Task An_id_of_128_allowed_characters_is_accepted()
    {
        var tenant = await host.NewTenantAsync("path");
        var id = ("A-z0.9_:@" + new string('x', 128))[..128];

        await tenant.CreateBudgetAsync(id, Budget);

        Assert.Equal(id, (await tenant.GetBudgetAsync(id)).Str("id"));
    }

    private const string Budget = """{ "period": { "type": "daily" }, "limits": { "cost": 1 } }""";
}
