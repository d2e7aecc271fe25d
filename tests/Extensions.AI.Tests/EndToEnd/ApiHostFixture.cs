using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;

namespace BudgetActors.Extensions.AI.Tests.EndToEnd;

/// <summary>
/// One real ApiHost process (started the way Api.Tests starts it) for the end-to-end tests, and the
/// few admin calls they need: a tenant with a service key, budgets, a budget's status.
/// </summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    private ApiHostProcess? _host;

    public string AdminKey { get; } = "adm-chat-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseAddress => _host?.BaseAddress ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync() => _host = await ApiHostProcess.StartAsync(AdminKey, TimeSpan.FromSeconds(90));

    /// <summary>A new tenant and a service key for it.</summary>
    public async Task<(string Tenant, string ServiceKey)> NewTenantAsync()
    {
        var tenant = "chat-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await SendAsync(HttpMethod.Post, "v1/tenants", $$"""{ "id": "{{tenant}}", "name": "Chat", "currency": "USD", "timezone": "UTC" }""");
        var key = await SendAsync(HttpMethod.Post, $"v1/tenants/{tenant}/keys", """{ "role": "service", "name": "chat middleware" }""");
        return (tenant, key.GetProperty("key").GetString()!);
    }

    public Task PutBudgetAsync(string tenant, string budgetId, string json) =>
        SendAsync(HttpMethod.Put, $"v1/tenants/{tenant}/budgets/{budgetId}", json);

    /// <summary>The <c>status</c> of a budget: spent and reserved per metric.</summary>
    public async Task<JsonElement> StatusAsync(string tenant, string budgetId) =>
        (await SendAsync(HttpMethod.Get, $"v1/tenants/{tenant}/budgets/{budgetId}", null)).GetProperty("status");

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {body}\n{_host?.RecentOutput}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>Spent and reserved on one metric of a budget status.</summary>
public static class StatusReading
{
    public static (decimal Spent, decimal Reserved) Of(JsonElement status, string metric) =>
        (status.GetProperty(metric).GetProperty("spent").GetDecimal(), status.GetProperty(metric).GetProperty("reserved").GetDecimal());
}
