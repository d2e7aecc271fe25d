using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>An HTTP answer of the API host, kept whole so that a failed assertion can show it.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string? ContentType, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public override string ToString() => $"{(int)Status} {ContentType}: {Body}";
}

/// <summary>Calls the API host over real HTTP. <paramref name="diagnostics"/> says what the processes printed, for failures.</summary>
public sealed class ApiClient(HttpClient http, Func<string> diagnostics)
{
    private static readonly TimeSpan StorageRetryWindow = TimeSpan.FromSeconds(30);

    public Func<string> Diagnostics { get; } = diagnostics;

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string key, string? json = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    public Task<ApiAnswer> GetAsync(string path, string key) => SendAsync(HttpMethod.Get, path, key);

    public Task<ApiAnswer> PostAsync(string path, string key, string json) => SendAsync(HttpMethod.Post, path, key, json);

    public Task<ApiAnswer> PutAsync(string path, string key, string json) => SendAsync(HttpMethod.Put, path, key, json);

    /// <summary>
    /// Sends the request and fails the test, with the processes' output, unless the status is
    /// <paramref name="expected"/>. A 503 is retried, as the contract tells clients to: it means that
    /// storage could not be reached and nothing was recorded (the first use of a pooled connection
    /// that a database restart broke answers so too).
    /// </summary>
    public async Task<JsonNode> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, string key, string? json = null)
    {
        var deadline = DateTime.UtcNow + StorageRetryWindow;
        var answer = await SendAsync(method, path, key, json);
        while (answer.Status == HttpStatusCode.ServiceUnavailable && expected != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            answer = await SendAsync(method, path, key, json);
        }

        if (answer.Status != expected)
        {
            Assert.Fail($"{method} {path} answered {answer}, expected {(int)expected}.{Environment.NewLine}{Diagnostics()}");
        }

        return answer.Json;
    }
}

/// <summary>JSON fragments for request bodies; money is written with the invariant culture, exactly.</summary>
public static class Json
{
    public static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal Decimal(JsonNode? node) =>
        node?.GetValue<decimal>() ?? throw new InvalidOperationException("Expected a number, found null or nothing.");
}
