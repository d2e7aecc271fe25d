using System.Net.Http.Headers;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// <see cref="IBudgetClient"/> over the HTTP API of API.md, with a <c>service</c> (or <c>admin</c>) key.
/// Sends <see cref="LlmEstimate"/> as <c>llm</c>, <see cref="LlmUsage"/> as <c>llmUsage</c>,
/// <see cref="ExplicitAmount"/> as <c>estimate</c>/<c>actual</c>, <see cref="JobUsage"/> as <c>jobUsage</c>.
/// </summary>
/// <remarks>
/// The key goes on each request, so one <see cref="HttpClient"/> can be shared with other code. Money is
/// read from the JSON text straight into <see cref="decimal"/>. Non-2xx answers become
/// <see cref="BudgetApiException"/> with the problem's status, title, detail and validation errors.
/// </remarks>
/// <param name="http">The client that sends the requests; its own timeout applies.</param>
/// <param name="baseAddress">Where the API lives, e.g. <c>http://127.0.0.1:5080/</c>; a path prefix is kept.</param>
/// <param name="apiKey">Sent as <c>Authorization: Bearer</c>.</param>
public sealed class HttpBudgetClient(HttpClient http, Uri baseAddress, string apiKey) : IBudgetClient
{
    private readonly Uri _base = WithTrailingSlash(baseAddress);

    /// <summary>Uses <see cref="HttpClient.BaseAddress"/> of <paramref name="http"/>.</summary>
    public HttpBudgetClient(HttpClient http, string apiKey)
        : this(http, http.BaseAddress ?? throw new ArgumentException("The HttpClient has no BaseAddress; pass one.", nameof(http)), apiKey)
    {
    }

    public async Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        var body = BudgetWire.ReserveBody(request);
        var answer = await SendAsync<ReserveAnswer>(TenantPath(request.Tenant, "reservations"), body, cancellationToken);
        return answer.ToReservation();
    }

    public async Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default)
    {
        var body = BudgetWire.CommitBody(actual);
        var answer = await SendAsync<CommitAnswer>(TenantPath(tenant, $"reservations/{Segment(reservationId)}/commit"), body, cancellationToken);
        return answer.ToCommit();
    }

    public async Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<ReleaseAnswer>(TenantPath(tenant, $"reservations/{Segment(reservationId)}/release"), body: null, cancellationToken);
        return answer.ToRelease();
    }

    private Uri TenantPath(string tenant, string rest) => new(_base, $"v1/tenants/{Segment(tenant)}/{rest}");

    private async Task<T> SendAsync<T>(Uri uri, byte[]? body, CancellationToken cancellationToken) where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ProblemReader.ToException(response, text);
        }

        return BudgetWire.Read<T>(text)
            ?? throw new BudgetApiException((int)response.StatusCode, "Empty answer", $"{uri.AbsolutePath} answered with no JSON body.");
    }

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/", UriKind.Absolute);
}
