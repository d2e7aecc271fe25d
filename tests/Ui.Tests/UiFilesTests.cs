using System.Net;
using System.Text.Json;
using BudgetActors.Ui.Tests.Support;

namespace BudgetActors.Ui.Tests;

/// <summary>How the host serves the dashboard's files, over plain HTTP.</summary>
[Collection(DashboardCollection.Name)]
public sealed class UiFilesTests(DashboardFixture fixture)
{
    [Fact]
    public async Task The_bare_path_moves_to_the_folder_and_the_page_needs_no_key()
    {
        using var bare = await fixture.Http.GetAsync("ui");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/ui/", bare.Headers.Location?.OriginalString);

        using var page = await fixture.Http.GetAsync("ui/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\">", await page.Content.ReadAsStringAsync());

        // Only the page's own files run, and it talks only to its own origin.
        var policy = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Modules_are_served_as_javascript_revalidated_by_etag_and_unknown_files_are_404()
    {
        using var module = await fixture.Http.GetAsync("ui/app.js");
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
        var etag = module.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, "ui/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await fixture.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await fixture.Http.GetAsync("ui/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_dashboard()
    {
        using var response = await fixture.Http.GetAsync("openapi/v1.json");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var path = document.GetProperty("paths").GetProperty("/ui/{file}");
        var summary = path.GetProperty("get").GetProperty("summary").GetString();
        Assert.Contains("web dashboard", summary);
        Assert.True(path.GetProperty("get").GetProperty("responses").TryGetProperty("200", out _));
    }
}
