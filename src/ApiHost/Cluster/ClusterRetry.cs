using System.Diagnostics;
using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Messaging;

namespace BudgetActors.ApiHost.Cluster;

/// <summary>
/// Sends an idempotent operation again when the cluster lost it: a silo that served it died
/// (<see cref="SiloUnavailableException"/>, broken when the cluster declares the silo dead), a silo
/// could not be reached (<see cref="OrleansMessageRejectionException"/>, and
/// <see cref="ConnectionFailedException"/> when the client could reach no gateway), it timed out
/// (<see cref="TimeoutException"/>), or the gateway it went through was lost (<see cref="GatewayLoss"/>).
/// Sent again, it lands on a silo that is alive — once the cluster knows of the death, the grains of
/// the dead silo activate again there — so the caller gets its answer instead of a 503. Only
/// operations that may run twice are sent again: checks, and writes that carry an idempotency key
/// (the ledger's unique key makes a second attempt find the first one's entry; a reservation's
/// operations run one at a time and a retry answers what the first decided). The first attempt may
/// still be running when the second starts; that is what a client's own retry with the same key does
/// too. After <see cref="ClusterSettings.RetryWindow"/> the last failure is answered (a 503 that
/// tells the client to retry with the same key).
/// </summary>
public sealed class ClusterRetry(GatewayLoss gateways, IOptions<ClusterSettings> settings, ILogger<ClusterRetry> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long after a silo or gateway was lost an attempt is given up at
    /// <see cref="ClusterSettings.RetryAttemptTimeout"/>: longer than the cluster takes to declare the
    /// silo dead and place its grains elsewhere, with room for a loaded machine.
    /// </summary>
    private static readonly TimeSpan AfterLoss = TimeSpan.FromSeconds(30);

    private long _lastLoss = long.MinValue;

    /// <summary>
    /// The call may or may not have run, and nothing says it failed on its own: it was lost with a
    /// silo or a gateway, or not answered in time (a gateway too busy to take it never ran it).
    /// </summary>
    public static bool IsLostWithSilo(Exception e) =>
        e is OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException or TimeoutException;

    public async Task<T> RunAsync<T>(Func<Task<T>> operation, bool idempotent)
    {
        if (!idempotent || settings.Value.RetryWindow <= TimeSpan.Zero)
        {
            return await operation();
        }

        var started = Stopwatch.GetTimestamp();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var lost = gateways.Token;
            var running = operation();
            Exception failure;
            try
            {
                // Right after a silo died, a call sent to one of its grains may vanish without a word
                // (a gateway that forwarded it to the dead silo keeps no promise for it), and Orleans
                // would wait out the client's whole response timeout: such an attempt is given up sooner.
                return RecentlyLost() && settings.Value.RetryAttemptTimeout > TimeSpan.Zero
                    ? await running.WaitAsync(settings.Value.RetryAttemptTimeout, lost)
                    : await running.WaitAsync(lost);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested)
            {
                // Its gateway is gone: whatever it does now, its answer cannot come back.
                Abandon(running);
                failure = new SiloUnavailableException("The gateway that this request went through was lost.");
            }
            catch (TimeoutException e) when (!running.IsCompleted)
            {
                Abandon(running);
                failure = e;
            }
            catch (Exception e) when (IsLostWithSilo(e))
            {
                failure = e;
            }

            Volatile.Write(ref _lastLoss, Stopwatch.GetTimestamp());
            if (Stopwatch.GetElapsedTime(started) + backoff > settings.Value.RetryWindow)
            {
                logger.LogWarning(failure, "Gave up after {Attempts} attempts in {Elapsed}", attempt, Stopwatch.GetElapsedTime(started));
                throw failure;
            }

            logger.LogDebug("Attempt {Attempt} was lost with a silo ({Failure}); sending it again", attempt, failure.GetType().Name);
            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private bool RecentlyLost()
    {
        var last = Math.Max(Volatile.Read(ref _lastLoss), gateways.LastLoss);
        return last != long.MinValue && Stopwatch.GetElapsedTime(last) < AfterLoss;
    }

    // The attempt goes on without a caller: its failure, if any, is observed here.
    private static void Abandon<T>(Task<T> running) =>
        _ = running.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
}
