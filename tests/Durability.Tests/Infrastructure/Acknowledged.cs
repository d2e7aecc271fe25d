using System.Net;

namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>What the retrying callers met on the way, counted across every caller of a run.</summary>
public sealed class RetryTally
{
    private long networkErrors;
    private long timeouts;
    private long unavailable;
    private long serverErrors;

    public long NetworkErrors => Interlocked.Read(ref networkErrors);

    public long Timeouts => Interlocked.Read(ref timeouts);

    /// <summary>503 answers (storage unavailable, cluster not answering).</summary>
    public long Unavailable => Interlocked.Read(ref unavailable);

    /// <summary>Other 5xx answers.</summary>
    public long ServerErrors => Interlocked.Read(ref serverErrors);

    public long Total => NetworkErrors + Timeouts + Unavailable + ServerErrors;

    internal void Count(HttpStatusCode status)
    {
        if (status == HttpStatusCode.ServiceUnavailable)
        {
            Interlocked.Increment(ref unavailable);
        }
        else
        {
            Interlocked.Increment(ref serverErrors);
        }
    }

    internal void CountNetworkError() => Interlocked.Increment(ref networkErrors);

    internal void CountTimeout() => Interlocked.Increment(ref timeouts);

    public override string ToString() =>
        $"{Total} retries ({NetworkErrors} network errors, {Timeouts} timeouts, {Unavailable} × 503, {ServerErrors} other 5xx)";
}

/// <summary>
/// A client that does what a job worker must do for spend it reports: send the same request (same
/// idempotency key, same body) again on anything that is not an answer — a network error, a timeout,
/// a 5xx — until it is answered, or give up at a deadline. A 4xx is an answer and is returned.
/// </summary>
public sealed class Acknowledged(ApiClient api, RetryTally tally)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <exception cref="TimeoutException">Still not answered at <paramref name="deadline"/>; says what the last attempt met.</exception>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string key, string? json, DateTime deadline)
    {
        var backoff = FirstBackoff;
        string lastFailure;
        while (true)
        {
            try
            {
                var answer = await api.SendAsync(method, path, key, json);
                if ((int)answer.Status < 500)
                {
                    return answer;
                }

                tally.Count(answer.Status);
                lastFailure = answer.ToString();
            }
            catch (HttpRequestException e)
            {
                tally.CountNetworkError();
                lastFailure = e.Message;
            }
            catch (TaskCanceledException e)
            {
                tally.CountTimeout(); // HttpClient.Timeout: the request may or may not have been recorded
                lastFailure = e.Message;
            }

            if (DateTime.UtcNow + backoff > deadline)
            {
                throw new TimeoutException($"{method} {path} was still not acknowledged at the deadline; last attempt: {lastFailure}");
            }

            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    public Task<ApiAnswer> PostAsync(string path, string key, string json, DateTime deadline) =>
        SendAsync(HttpMethod.Post, path, key, json, deadline);
}
