using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BudgetActors.Cli.Http;

/// <summary>
/// The HTTP API as budgetctl sees it: JSON in, JSON out. Bodies are kept as <see cref="JsonNode"/>s so
/// that numbers pass through as the server wrote them (money stays exact) and fields this version does
/// not know about are still shown with <c>--output json</c>.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string? _key;

    public ApiClient(Uri baseAddress, string? key, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _key = key;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancel = default) => SendAsync(HttpMethod.Get, path, null, cancel);

    public Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken cancel = default) => SendAsync(HttpMethod.Post, path, body ?? new JsonObject(), cancel);

    public Task<JsonNode?> PutAsync(string path, JsonNode body, CancellationToken cancel = default) => SendAsync(HttpMethod.Put, path, body, cancel);

    public Task<JsonNode?> PatchAsync(string path, JsonNode body, CancellationToken cancel = default) => SendAsync(HttpMethod.Patch, path, body, cancel);

    public Task<JsonNode?> DeleteAsync(string path, CancellationToken cancel = default) => SendAsync(HttpMethod.Delete, path, null, cancel);

    /// <summary>A GET whose 404 is an answer ("nothing there") rather than an error: endpoints a server may not have yet.</summary>
    public async Task<JsonNode?> GetOrNullAsync(string path, CancellationToken cancel = default)
    {
        try
        {
            return await GetAsync(path, cancel);
        }
        catch (ApiException e) when (e.Status is 404 or 405)
        {
            return null;
        }
    }

    /// <summary>The status code of the last answer, for commands that tell created from replaced.</summary>
    public int LastStatus { get; private set; }

    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (!string.IsNullOrEmpty(_key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot reach {BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"{BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            LastStatus = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancel);
            if (response.IsSuccessStatusCode)
            {
                return response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text) ? null : Parse(text);
            }

            throw Problem((int)response.StatusCode, response.ReasonPhrase, text);
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Unavailable, $"the service answered something that is not JSON: {e.Message}");
        }
    }

    /// <summary>Reads an RFC 9457 problem: its detail (or title) is the message, its <c>errors</c> the field errors.</summary>
    private static ApiException Problem(int status, string? reason, string text)
    {
        string message = $"{status} {reason}".Trim();
        Dictionary<string, string[]>? errors = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(text) && JsonNode.Parse(text) is JsonObject problem)
            {
                var title = problem["title"]?.GetValueKind() == JsonValueKind.String ? problem["title"]!.GetValue<string>() : null;
                var detail = problem["detail"]?.GetValueKind() == JsonValueKind.String ? problem["detail"]!.GetValue<string>() : null;
                message = $"{status} {title ?? reason}: {detail ?? title ?? reason}".Trim();
                if (problem["errors"] is JsonObject fields)
                {
                    errors = fields.ToDictionary(
                        f => f.Key,
                        f => f.Value is JsonArray list ? list.Select(m => m?.ToString() ?? "").ToArray() : [f.Value?.ToString() ?? ""]);
                }
            }
        }
        catch (JsonException)
        {
            // not a problem document: the status line says what there is to say
        }

        return new ApiException(status, message, errors);
    }

    public void Dispose() => _http.Dispose();
}
