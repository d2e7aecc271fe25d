using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BudgetActors.Ui.Tests.Support;

/// <summary>A tenant of the running host and its keys, with the few HTTP calls the tests set up and check with.</summary>
public sealed class TenantApi(HttpClient http, string id, string tenantAdminKey, string serviceKey)
{
    public string Id { get; } = id;

    public string TenantAdminKey { get; } = tenantAdminKey;

    public string ServiceKey { get; } = serviceKey;

    public Task<JsonElement> PutBudgetAsync(string budgetId, string json) =>
        SendAsync(HttpMethod.Put, $"budgets/{budgetId}", TenantAdminKey, json);

    public Task<JsonElement> RecordUsageAsync(string attributesJson, decimal cost) =>
        SendAsync(HttpMethod.Post, "usage", ServiceKey,
            $$"""{ "idempotencyKey": "{{Guid.NewGuid():N}}", "attributes": {{attributesJson}}, "actual": { "cost": {{cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }""");

    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path, TenantAdminKey, null);

    public Task<JsonElement> PostAsync(string path, string key, string? json) => SendAsync(HttpMethod.Post, path, key, json);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string key, string? json)
    {
        using var request = new HttpRequestMessage(method, $"v1/tenants/{Id}/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        return response.StatusCode == HttpStatusCode.NoContent ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
