namespace BudgetActors.Api.Tests.Support;

/// <summary>The least role that may call an endpoint on its own tenant.</summary>
public enum Role
{
    Service,
    TenantAdmin,
    Admin,
}

/// <summary>One request to one /v1 endpoint, with a valid body, ready to send.</summary>
public sealed record EndpointCall(string Name, HttpMethod Method, string Path, string? Body, Role Needs)
{
    public Task<ApiResponse> SendAsync(ApiClient api, string? key) =>
        api.SendAsync(Method, Path, key, Body is null ? null : ApiClient.Body(Body));

    public override string ToString() => $"{Name} ({Method} {Path})";
}

/// <summary>Every endpoint of API.md, aimed at one tenant's existing budget, reservation and key.</summary>
public static class EndpointCatalog
{
    /// <summary>Ten pairs of a job's measured usage and its bill, at 0.0001 per CPU-second.</summary>
    public static readonly string CalibrationSamples = "{ \"samples\": [" + string.Join(", ", Enumerable.Range(1, 10).Select(i =>
        $$"""{ "usage": { "cpuSeconds": {{i * 10}}, "ops": {{i}} }, "bill": {{i * 10 * 0.0001m}} }""")) + "] }";

    public static IReadOnlyList<EndpointCall> For(string tenantId, string budgetId, string reservationId, string keyId)
    {
        var t = $"/v1/tenants/{tenantId}";
        var fresh = Guid.NewGuid().ToString("N")[..8];
        return
        [
            new("create tenant", HttpMethod.Post, "/v1/tenants",
                $$"""{ "id": "never-{{fresh}}", "name": "x", "currency": "USD", "timezone": "UTC" }""", Role.Admin),
            new("get tenant", HttpMethod.Get, t, null, Role.Service),
            new("issue key", HttpMethod.Post, $"{t}/keys", """{ "role": "service", "name": "intruder" }""", Role.TenantAdmin),
            new("revoke key", HttpMethod.Delete, $"{t}/keys/{keyId}", null, Role.TenantAdmin),
            new("put budget", HttpMethod.Put, $"{t}/budgets/{budgetId}",
                """{ "period": { "type": "daily" }, "limits": { "cost": 1 } }""", Role.TenantAdmin),
            new("get budget", HttpMethod.Get, $"{t}/budgets/{budgetId}", null, Role.Service),
            new("list budgets", HttpMethod.Get, $"{t}/budgets", null, Role.Service),
            new("budget history", HttpMethod.Get, $"{t}/budgets/{budgetId}/history", null, Role.Service),
            new("records", HttpMethod.Get, $"{t}/records?limit=5", null, Role.Service),
            new("report", HttpMethod.Get, $"{t}/report?from=2026-11-01&to=2026-11-30&groupBy=queue", null, Role.Service),
            // before the budget is deleted
            new("trend", HttpMethod.Get, $"{t}/budgets/{budgetId}/trend?days=7", null, Role.Service),
            new("delete budget", HttpMethod.Delete, $"{t}/budgets/{budgetId}", null, Role.TenantAdmin),
            new("check", HttpMethod.Post, $"{t}/check", """{ "estimate": { "cost": 1 } }""", Role.Service),
            new("reserve", HttpMethod.Post, $"{t}/reservations", $$"""{ "idempotencyKey": "r-{{fresh}}", "estimate": { "cost": 1 } }""", Role.Service),
            new("commit", HttpMethod.Post, $"{t}/reservations/{reservationId}/commit", """{ "actual": { "cost": 1 } }""", Role.Service),
            new("release", HttpMethod.Post, $"{t}/reservations/{reservationId}/release", null, Role.Service),
            new("usage", HttpMethod.Post, $"{t}/usage", $$"""{ "idempotencyKey": "u-{{fresh}}", "actual": { "cost": 1 } }""", Role.Service),
            new("tenant summary", HttpMethod.Get, $"{t}/summary", null, Role.Service),
            new("user summary", HttpMethod.Get, $"{t}/users/alice/summary", null, Role.Service),
            new("get cost model", HttpMethod.Get, $"{t}/cost-model", null, Role.Service),
            new("put cost model", HttpMethod.Put, $"{t}/cost-model", """{ "default": { "cpuSecond": 0.00003 } }""", Role.TenantAdmin),
            new("estimate job", HttpMethod.Post, $"{t}/cost-model/estimate", """{ "usage": { "cpuSeconds": 1 } }""", Role.Service),
            new("calibrate", HttpMethod.Post, $"{t}/cost-model/calibrate", CalibrationSamples, Role.TenantAdmin),
            new("get prices", HttpMethod.Get, $"{t}/prices", null, Role.Service),
            new("put price", HttpMethod.Put, $"{t}/prices/my-model", """{ "input": 1, "output": 2 }""", Role.TenantAdmin),
            new("delete price", HttpMethod.Delete, $"{t}/prices/my-model", null, Role.TenantAdmin),
            new("put unknown-model price", HttpMethod.Put, $"{t}/unknown-model-price", """{ "input": 1, "output": 2 }""", Role.TenantAdmin),
            new("delete unknown-model price", HttpMethod.Delete, $"{t}/unknown-model-price", null, Role.TenantAdmin),
        ];
    }
}
