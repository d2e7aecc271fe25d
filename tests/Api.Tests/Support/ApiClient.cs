using System.Net.Http.Headers;
using System.Text;

namespace BudgetActors.Api.Tests.Support;

/// <summary>
/// Sends requests to the host exactly as written (bodies are JSON text, so bad inputs go on the wire
/// byte for byte) and keeps each answer whole for assertions.
/// </summary>
public sealed class ApiClient(HttpClient http, Func<string> hostOutput)
{
    public const string Json = "application/json";

    public Task<ApiResponse> GetAsync(string path, string? key) => SendAsync(HttpMethod.Get, path, key);

    public Task<ApiResponse> DeleteAsync(string path, string? key) => SendAsync(HttpMethod.Delete, path, key);

    public Task<ApiResponse> PostAsync(string path, string? key, string? json = null) =>
        SendAsync(HttpMethod.Post, path, key, json is null ? null : Body(json));

    public Task<ApiResponse> PutAsync(string path, string? key, string json) =>
        SendAsync(HttpMethod.Put, path, key, Body(json));

    /// <summary>A body of any media type, for the tests of content types.</summary>
    public static HttpContent Body(string text, string mediaType = Json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }

    public Task<ApiResponse> SendAsync(HttpMethod method, string path, string? key, HttpContent? content = null) =>
        SendAsync(method, path, content, key is null ? null : new AuthenticationHeaderValue("Bearer", key));

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, HttpContent? content, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = authorization;
        return await SendAsync(request);
    }

    /// <summary>Sends a request built by the caller (for headers the helpers above do not set).</summary>
    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        var line = $"{request.Method} {request.RequestUri}";
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new ApiResponse(line, response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, response.Headers);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException($"{line} got no answer from the host. Its last output:{Environment.NewLine}{hostOutput()}", e);
        }
    }
}
