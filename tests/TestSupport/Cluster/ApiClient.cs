using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BudgetActors.TestSupport.Cluster;

/// <summary>An HTTP answer of the API host, kept whole so that a failed assertion can show it.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string? ContentType, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public override string ToString() => $"{(int)Status} {ContentType}: {Body}";
}

/// <summary>Calls the API host over real HTTP. <paramref name="diagnostics"/> says what the processes printed, for failures.</summary>
public sealed class ApiClient(HttpClient http, Func<string> diagnostics)
{
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
}

/// <summary>JSON fragments for request bodies; money is written with the invariant culture, exactly.</summary>
public static class Json
{
    public static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal Decimal(JsonNode? node) =>
        node?.GetValue<decimal>() ?? throw new InvalidOperationException("Expected a number, found null or nothing.");
}
