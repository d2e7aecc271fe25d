using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BudgetActors.TestSupport;

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port: records every request and answers what
/// <see cref="Respond"/> says, per path (it may wait, to play a slow or dead endpoint).
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _inProgress;

    private HttpReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The answer to a request: a status code (and a body), after whatever waiting it does.</summary>
    public Func<ReceivedRequest, CancellationToken, Task<(int Status, string Body)>> Respond { get; set; } =
        (_, _) => Task.FromResult((204, ""));

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public int InProgress => Volatile.Read(ref _inProgress);

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public IReadOnlyList<ReceivedRequest> On(string path) => [.. _requests.Where(r => r.Path == path)];

    public static async Task<HttpReceiver> StartAsync()
    {
        var port = FreePorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HttpReceiver(app, port);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inProgress);
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = new ReceivedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body.ToArray(),
                DateTimeOffset.UtcNow);
            _requests.Enqueue(request);
            var (status, text) = await Respond(request, context.RequestAborted);
            context.Response.StatusCode = status;
            if (text.Length > 0)
            {
                await context.Response.WriteAsync(text, context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The sender gave up (its timeout): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }
}
