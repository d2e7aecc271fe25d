namespace BudgetActors.Alerts;

/// <summary>
/// Exponential backoff with jitter: after try n fails, wait FirstRetryDelay × BackoffFactor^(n−1),
/// at most MaxRetryDelay, stretched by a random 0…Jitter of itself. Jitter only lengthens a delay,
/// so the schedule's total span never falls below the nominal one (the defaults, 30 s doubling over
/// 6 tries, span 15.5 minutes: the contract asks at least 5 tries over at least 10), while retries
/// of many deliveries that failed together (one receiver down) still spread out.
/// </summary>
public sealed class RetrySchedule(DeliveryOptions options, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>The wait after try <paramref name="attempt"/> (1 = the first) failed, before jitter.</summary>
    public TimeSpan NominalDelayAfter(int attempt)
    {
        var factor = Math.Pow(options.BackoffFactor, Math.Max(0, attempt - 1));
        var ticks = options.FirstRetryDelay.Ticks * factor;
        return ticks >= options.MaxRetryDelay.Ticks ? options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan DelayAfter(int attempt)
    {
        var nominal = NominalDelayAfter(attempt);
        return nominal + TimeSpan.FromTicks((long)(nominal.Ticks * options.Jitter * _random()));
    }
}
