using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using Microsoft.Playwright;

namespace BudgetActors.Ui.Tests.Support;

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}

/// <summary>
/// One real ApiHost process (started as Api.Tests starts it) and one headless Debian chromium driven
/// by Playwright, shared by the dashboard tests; every test makes a tenant of its own.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private ApiHostProcess? _host;
    private IPlaywright? _playwright;

    public string AdminKey { get; } = "adm-ui-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => _host?.BaseAddress ?? throw new InvalidOperationException("The host is not started.");

    public string HostOutput => _host?.RecentOutput ?? "";

    /// <summary>Screenshots go beside the test assembly (the test run's artifacts).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // Before anything slow: without the browser there is nothing to test.
        var chromium = Chromium.ExecutablePath();
        Directory.CreateDirectory(ScreenshotDirectory);

        _host = await ApiHostProcess.StartAsync(AdminKey, TimeSpan.FromSeconds(90));
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespaces for chromium's sandbox; /dev/shm may be small.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A fresh page at the dashboard, in en-US and UTC so that numbers and times read the same everywhere.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        await page.GotoAsync("/ui/");
        return page;
    }

    /// <summary>A new tenant (USD, UTC) with a tenant-admin key and a service key.</summary>
    public async Task<TenantApi> NewTenantAsync(string label)
    {
        var id = $"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        await AdminPostAsync("v1/tenants", $$"""{ "id": "{{id}}", "name": "{{label}}", "currency": "USD", "timezone": "UTC" }""");
        var admin = await AdminPostAsync($"v1/tenants/{id}/keys", """{ "role": "tenant-admin", "name": "dashboard" }""");
        var service = await AdminPostAsync($"v1/tenants/{id}/keys", """{ "role": "service", "name": "worker" }""");
        return new TenantApi(Http, id, admin.GetProperty("key").GetString()!, service.GetProperty("key").GetString()!);
    }

    private async Task<JsonElement> AdminPostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {body}\n{HostOutput}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
