using System.Collections.Concurrent;
using System.Net;
using System.Text;
using BudgetActors.TestSupport;

namespace BudgetActors.Extensions.AI.Tests.Support;

/// <summary>
/// A real HTTP server on a loopback port that records each request (method, path, headers, body as
/// text) and answers with whatever the test queued, so the client's bytes on the wire can be checked.
/// </summary>
public sealed class FakeBudgetServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string ContentType, string Body)> _answers = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _serving;

    public FakeBudgetServer()
    {
        var port = FreePorts.Take(1)[0];
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public RecordedRequest SingleRequest => Assert.Single(Requests);

    public void Answer(int status, string body, string contentType = "application/json; charset=utf-8") =>
        _answers.Enqueue((status, contentType, body));

    public void AnswerProblem(int status, string body) => Answer(status, body, "application/problem+json");

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            _requests.Enqueue(new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.Url!.AbsolutePath,
                context.Request.Headers["Authorization"],
                context.Request.ContentType,
                body));

            var (status, contentType, answer) = _answers.TryDequeue(out var queued)
                ? queued
                : (500, "text/plain", "no answer queued");
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}

public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ContentType, string Body);
