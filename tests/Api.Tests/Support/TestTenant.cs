using System.Globalization;
using System.Net;
using System.Text.Json;

namespace BudgetActors.Api.Tests.Support;

/// <summary>A tenant made for one test (or one test class), with a key of each role.</summary>
public sealed class TestTenant(ApiClient api, string id, string adminKey, string tenantAdminKey, string serviceKey)
{
    public string Id { get; } = id;

    /// <summary>The bootstrap admin key of the host.</summary>
    public string AdminKey { get; } = adminKey;

    public string TenantAdminKey { get; } = tenantAdminKey;

    public string ServiceKey { get; } = serviceKey;

    /// <summary><c>/v1/tenants/{id}</c> followed by <paramref name="rest"/>.</summary>
    public string Path(string rest = "") => $"/v1/tenants/{Id}{rest}";

    /// <summary>Creates a budget (201) with the tenant-admin key and returns the answer.</summary>
    public async Task<JsonElement> CreateBudgetAsync(string budgetId, string json) =>
        (await api.PutAsync(Path($"/budgets/{budgetId}"), TenantAdminKey, json)).Expect(HttpStatusCode.Created);

    /// <summary>A budget of the whole tenant (or of <paramref name="scope"/>) with a monthly cost limit.</summary>
    public Task<JsonElement> CreateCostBudgetAsync(string budgetId, decimal limit, string scope = "{}") =>
        CreateBudgetAsync(budgetId, string.Create(CultureInfo.InvariantCulture,
            $$"""{ "scope": {{scope}}, "period": { "type": "monthly" }, "limits": { "cost": {{limit}} } }"""));

    public async Task<JsonElement> GetBudgetAsync(string budgetId) =>
        (await api.GetAsync(Path($"/budgets/{budgetId}"), ServiceKey)).Expect(HttpStatusCode.OK);

    /// <summary>What a budget has spent and holds right now.</summary>
    public async Task<BudgetUse> UseOfAsync(string budgetId) => BudgetUse.Of((await GetBudgetAsync(budgetId)).At("status"));

    public async Task<JsonElement> CheckAsync(string json) =>
        (await api.PostAsync(Path("/check"), ServiceKey, json)).Expect(HttpStatusCode.OK);

    public async Task<JsonElement> ReserveAsync(string json) =>
        (await api.PostAsync(Path("/reservations"), ServiceKey, json)).Expect(HttpStatusCode.OK);

    public async Task<JsonElement> CommitAsync(string reservationId, string json) =>
        (await api.PostAsync(Path($"/reservations/{reservationId}/commit"), ServiceKey, json)).Expect(HttpStatusCode.OK);

    public async Task<JsonElement> ReleaseAsync(string reservationId) =>
        (await api.PostAsync(Path($"/reservations/{reservationId}/release"), ServiceKey)).Expect(HttpStatusCode.OK);

    public async Task<JsonElement> RecordUsageAsync(string json) =>
        (await api.PostAsync(Path("/usage"), ServiceKey, json)).Expect(HttpStatusCode.OK);
}

/// <summary>Spent and reserved on each metric of a budget: what a refused request must leave as it was.</summary>
public sealed record BudgetUse(
    decimal CostSpent, decimal CostReserved,
    decimal TokensSpent, decimal TokensReserved,
    decimal OperationsSpent, decimal OperationsReserved)
{
    /// <summary>From a <c>status</c> object, or an entry of a <c>budgets</c> array.</summary>
    public static BudgetUse Of(JsonElement status) => new(
        status.Dec("cost.spent"), status.Dec("cost.reserved"),
        status.Dec("tokens.spent"), status.Dec("tokens.reserved"),
        status.Dec("operations.spent"), status.Dec("operations.reserved"));
}
