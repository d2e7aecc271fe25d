using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BudgetActors.Api.Tests.Hosting;

namespace BudgetActors.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class CliHostCollection : ICollectionFixture<CliHostFixture>
{
    public const string Name = "budgetctl against an ApiHost process";
}

/// <summary>A tenant of a test: its id and its keys.</summary>
public sealed record CliTenant(string Id, string TenantAdminKey, string ServiceKey);

/// <summary>
/// One ApiHost process for every budgetctl test, and a plain HTTP client for arranging and for
/// checking what the tool did (never the tool itself, so that a tool bug cannot hide behind itself).
/// </summary>
public sealed class CliHostFixture : IAsyncLifetime
{
    private HttpClient? _http;

    public string AdminKey { get; } = "adm-cli-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public ApiHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ApiHostProcess.StartAsync(AdminKey, TimeSpan.FromSeconds(90));
        _http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<CliTenant> NewTenantAsync(string label)
    {
        var id = $"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        await SendAsync(HttpMethod.Post, "/v1/tenants", AdminKey, new JsonObject { ["id"] = id, ["name"] = label, ["currency"] = "USD", ["timezone"] = "UTC" });
        var admin = await SendAsync(HttpMethod.Post, $"/v1/tenants/{id}/keys", AdminKey, new JsonObject { ["role"] = "tenant-admin", ["name"] = "admin" });
        var service = await SendAsync(HttpMethod.Post, $"/v1/tenants/{id}/keys", AdminKey, new JsonObject { ["role"] = "service", ["name"] = "service" });
        return new CliTenant(id, admin!["key"]!.GetValue<string>(), service!["key"]!.GetValue<string>());
    }

    /// <summary>A call that must succeed; its JSON answer.</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, string key, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http!.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public Task<JsonNode?> GetAsync(string path, string key) => SendAsync(HttpMethod.Get, path, key);

    public Task DisposeAsync()
    {
        _http?.Dispose();
        return Host is null ? Task.CompletedTask : Host.DisposeAsync().AsTask();
    }
}
