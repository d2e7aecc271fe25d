namespace BudgetActors.Domain;

/// <summary>
/// A budget's rate limits — requests and tokens a minute — by the generic cell rate algorithm: each
/// admitted request moves a theoretical arrival time on by one emission interval per unit (a minute
/// ÷ the limit), and a request is admitted while that time stays within a minute of now. So at most
/// the limit is admitted in any minute, a full minute's worth may come at once, and the refusal can
/// say exactly when the request would fit. The account calls it one request at a time, which makes
/// it exact under any concurrency; it lives in memory only (an activation starts with a full minute).
/// </summary>
public sealed class RateGate
{
    private static readonly decimal Window = TimeSpan.FromMinutes(1).Ticks;

    // Theoretical arrival times, in UTC ticks (decimal: the intervals need not be whole ticks).
    private decimal _requests;
    private decimal _tokens;

    /// <summary>Takes one request of <paramref name="tokens"/> tokens, or says which limit refuses it (and takes nothing).</summary>
    public BudgetReason? TryTake(BudgetDefinition definition, RateLimits limits, long tokens, DateTimeOffset now)
    {
        decimal at = now.UtcTicks;
        decimal? requestsNext = null, tokensNext = null;
        if (limits.RequestsPerMinute is { } rpm)
        {
            var interval = Window / rpm;
            requestsNext = Math.Max(_requests, at) + interval;
            if (requestsNext - at > Window)
            {
                return ReasonWording.Rate(definition, "requestsPerMinute", rpm, Used(_requests, at, interval), 1m, Time(requestsNext.Value - Window));
            }
        }

        if (limits.TokensPerMinute is { } tpm && tokens > 0)
        {
            var interval = Window / tpm;
            if (tokens > tpm)
            {
                return ReasonWording.Rate(definition, "tokensPerMinute", tpm, Used(_tokens, at, interval), tokens, null);
            }

            tokensNext = Math.Max(_tokens, at) + interval * tokens;
            if (tokensNext - at > Window)
            {
                return ReasonWording.Rate(definition, "tokensPerMinute", tpm, Used(_tokens, at, interval), tokens, Time(tokensNext.Value - Window));
            }
        }

        _requests = requestsNext ?? _requests;
        _tokens = tokensNext ?? _tokens;
        return null;
    }

    /// <summary>What the last minute has used, as the arrival time says: a unit partly drained still counts (rounded up).</summary>
    private static decimal Used(decimal arrival, decimal now, decimal interval) => arrival <= now ? 0m : Math.Ceiling((arrival - now) / interval);

    /// <summary>An instant from ticks, rounded up to the next whole millisecond (never a moment too early).</summary>
    private static DateTimeOffset Time(decimal ticks)
    {
        var whole = (long)Math.Ceiling(ticks / TimeSpan.TicksPerMillisecond) * TimeSpan.TicksPerMillisecond;
        return new DateTimeOffset(whole, TimeSpan.Zero);
    }
}
