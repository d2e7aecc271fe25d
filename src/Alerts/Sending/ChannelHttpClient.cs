using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace BudgetActors.Alerts;

/// <summary>
/// The HTTP client of webhook and Slack channels. Every new connection resolves its host through
/// <see cref="DestinationGuard"/> and connects to one of the addresses checked there (a
/// <see cref="SocketsHttpHandler.ConnectCallback"/>), so a name cannot be re-pointed at a private
/// address between the check and the connection. No proxy (the proxy's address would be the one
/// checked) and no redirects (a 3xx could send us anywhere; it is a failure like any non-2xx).
/// </summary>
public sealed class ChannelHttpClient : IDisposable
{
    /// <summary>How much of a failed answer's body is read for <c>lastError</c>.</summary>
    private const int MaxErrorBodyBytes = 1024;

    private readonly HttpClient _client;

    public ChannelHttpClient(DestinationGuard guard)
    {
        Guard = guard;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Connections are kept only briefly: a later connection resolves and checks again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseDrainSize = MaxErrorBodyBytes,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("BudgetActors-Alerts", "1.0"));
    }

    public DestinationGuard Guard { get; }

    /// <summary>
    /// POSTs a JSON body; a 2xx is success, anything else a failure with the status and the start
    /// of the answer. The URL is checked against the policy first (the policy may be stricter than
    /// when the channel was saved).
    /// </summary>
    public async Task<SendResult> PostJsonAsync(string? url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (ChannelRules.CheckUrl(url, Guard.Policy, out var uri) is { } problem)
        {
            return SendResult.Failure($"refused: {problem}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Success;
            }

            var start = await ReadStartAsync(response, cancellationToken);
            var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
            return SendResult.Failure(start.Length == 0 ? status : $"{status}: {start}");
        }
        catch (HttpRequestException error)
        {
            return SendResult.Failure(Describe(error));
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Describe(HttpRequestException error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is BlockedDestinationException blocked)
            {
                return $"refused: {blocked.Message}";
            }
        }

        return error.InnerException is SocketException socket ? $"{error.Message} ({socket.SocketErrorCode})" : error.Message;
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }

            return SendResult.Trim(Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Guard.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                last = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
