using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts;

/// <summary>
/// Drains the outbox, one per silo process: claims due deliveries under a lease, sends each within
/// the send timeout with up to <c>MaxInFlight</c> in flight (at most <c>MaxInFlightPerTenant</c> of
/// one tenant, so a tenant whose endpoint hangs cannot hold up the others), and records each
/// outcome: delivered, a retry after backoff, or failed after the last try or when the channel is
/// gone. Everything it does is off the admission path: grains only enqueue.
/// </summary>
public sealed class DeliveryWorker : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    private readonly IDeliveryStore _store;
    private readonly AlertDispatcher _dispatcher;
    private readonly IChannelResolver _channels;
    private readonly IDeliveryOutcomeSink _outcomes;
    private readonly OutboxSignal _signal;
    private readonly DeliveryOptions _options;
    private readonly RetrySchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryWorker> _logger;

    // Cancels sends in flight only when the host stops waiting for them; a normal stop lets them finish.
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Task?> _inFlight = [];
    private readonly Dictionary<string, int> _perTenant = new(StringComparer.Ordinal);
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public DeliveryWorker(
        IDeliveryStore store, AlertDispatcher dispatcher, IChannelResolver channels, IDeliveryOutcomeSink outcomes,
        OutboxSignal signal, IOptions<AlertOptions> options, TimeProvider time, ILogger<DeliveryWorker> logger)
    {
        _store = store;
        _dispatcher = dispatcher;
        _channels = channels;
        _outcomes = outcomes;
        _signal = signal;
        _options = options.Value.Delivery;
        _schedule = new RetrySchedule(_options);
        _time = time;
        _logger = logger;
    }

    /// <summary>Sends in flight right now (for tests and metrics).</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(_abort.Cancel))
        {
            await base.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _abort.Cancel();
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimAndStartAsync(stoppingToken);
                await PurgeIfDueAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // Never let an outage end the loop: an exception out of a BackgroundService stops the host (the silo).
                _logger.LogWarning(error, "The alert outbox could not be read; trying again in {PollInterval}.", _options.PollInterval);
            }
            catch (Exception)
            {
                break;
            }

            try
            {
                await _signal.WaitAsync(_options.PollInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Let the sends in flight finish (each within its timeout) and record their outcomes.
        Task?[] running;
        lock (_gate)
        {
            running = [.. _inFlight.Values];
        }

        await Task.WhenAll(running.OfType<Task>());
    }

    private async Task ClaimAndStartAsync(CancellationToken cancellationToken)
    {
        int free;
        List<string> busy;
        lock (_gate)
        {
            free = _options.MaxInFlight - _inFlight.Count;
            busy = [.. _perTenant.Where(t => t.Value >= _options.MaxInFlightPerTenant).Select(t => t.Key)];
        }

        if (free <= 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var claims = await _store.ClaimAsync(free, busy, now, now + _options.LeaseDuration, cancellationToken);
        foreach (var claim in claims)
        {
            bool start;
            lock (_gate)
            {
                var tenant = claim.Request.Tenant;
                var count = _perTenant.GetValueOrDefault(tenant);
                start = count < _options.MaxInFlightPerTenant;
                if (start)
                {
                    _perTenant[tenant] = count + 1;
                    _inFlight[claim.Id] = null;
                }
            }

            if (!start)
            {
                // One claim brought more of this tenant than it may have in flight: give the rest back
                // at once (uncounted); they are claimed when the tenant's sends finish.
                await ReleaseQuietlyAsync(claim);
                continue;
            }

            var task = Task.Run(() => ProcessAsync(claim), CancellationToken.None);
            lock (_gate)
            {
                // Unless it already finished (and removed itself).
                if (_inFlight.ContainsKey(claim.Id))
                {
                    _inFlight[claim.Id] = task;
                }
            }
        }
    }

    private async Task ProcessAsync(ClaimedDelivery claim)
    {
        var request = claim.Request;
        try
        {
            var at = _time.GetUtcNow();
            AlertChannel? channel = null;
            SendResult? result = null;
            try
            {
                channel = await _channels.FindAsync(request.Tenant, request.ChannelId, _abort.Token);
            }
            catch (Exception error) when (error is not OperationCanceledException || !_abort.IsCancellationRequested)
            {
                // The host could not say (its grain is moving, the database is down): try again later.
                result = SendResult.Failure($"channel lookup failed: {error.Message}");
            }

            result ??= channel is null
                ? SendResult.Failure("no such channel", final: true)
                : await _dispatcher.SendAsync(channel, new DeliveryAttempt(request, claim.Attempt, at), _abort.Token);

            var done = _time.GetUtcNow();
            var completion = result.Delivered ? new DeliveryCompletion(DeliveryStatus.Delivered, null, done)
                : result.Final || claim.Attempt >= _options.MaxAttempts ? new DeliveryCompletion(DeliveryStatus.Failed, result.Error, done)
                : new DeliveryCompletion(DeliveryStatus.Pending, result.Error, done, done + _schedule.DelayAfter(claim.Attempt));

            AlertMetrics.Attempted(completion.Status, channel?.Type);
            await ReportAsync(new DeliveryOutcome(
                request, completion.Status, claim.Attempt, completion.Error, done, completion.NextAttemptAt, channel?.Type));

            if (!await _store.CompleteAsync(claim, completion, CancellationToken.None))
            {
                _logger.LogWarning(
                    "Delivery {MessageId} (tenant {Tenant}, alert {AlertId}, channel {ChannelId}) outlived its lease: another worker has it now, and this attempt's outcome ({Status}) was not recorded.",
                    request.MessageId, request.Tenant, request.AlertId, request.ChannelId, completion.Status);
            }
            else if (completion.Status == DeliveryStatus.Failed)
            {
                _logger.LogWarning(
                    "Gave up delivering alert {AlertId} (tenant {Tenant}) to channel {ChannelId} after {Attempts} attempt(s): {Error}",
                    request.AlertId, request.Tenant, request.ChannelId, claim.Attempt, completion.Error);
            }
            else if (completion.Status == DeliveryStatus.Pending)
            {
                _logger.LogInformation(
                    "Attempt {Attempt} to deliver alert {AlertId} (tenant {Tenant}) to channel {ChannelId} failed: {Error}; next try at {NextAttemptAt:O}.",
                    claim.Attempt, request.AlertId, request.Tenant, request.ChannelId, completion.Error, completion.NextAttemptAt);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The host stopped before the send finished: the claim goes back uncounted (or, if even
            // that fails, its lease runs out), and a live worker sends it.
            await ReleaseQuietlyAsync(claim);
        }
        catch (Exception error)
        {
            _logger.LogWarning(error,
                "Recording the outcome of delivery {MessageId} (tenant {Tenant}) failed; it is sent again after its lease ({LeaseDuration}).",
                request.MessageId, request.Tenant, _options.LeaseDuration);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(claim.Id);
                var left = _perTenant.GetValueOrDefault(request.Tenant) - 1;
                if (left <= 0)
                {
                    _perTenant.Remove(request.Tenant);
                }
                else
                {
                    _perTenant[request.Tenant] = left;
                }
            }

            _signal.Notify();
        }
    }

    private async Task ReportAsync(DeliveryOutcome outcome)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.SendTimeout, _time);
            await _outcomes.ReportAsync(outcome, timeout.Token);
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Reporting the outcome of delivery {MessageId} (tenant {Tenant}, {Status}) failed.",
                outcome.Request.MessageId, outcome.Request.Tenant, outcome.Status);
        }
    }

    private async Task ReleaseQuietlyAsync(ClaimedDelivery claim)
    {
        try
        {
            await _store.ReleaseAsync(claim, CancellationToken.None);
        }
        catch (Exception error)
        {
            _logger.LogInformation(error, "Giving back delivery {MessageId} failed; its lease runs out at {LeaseUntil:O}.", claim.Request.MessageId, claim.LeaseUntil);
        }
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastPurge < PurgeEvery)
        {
            return;
        }

        _lastPurge = now;
        var purged = await _store.PurgeAsync(now - _options.Retention, cancellationToken);
        if (purged > 0)
        {
            _logger.LogInformation("Purged {Count} finished alert deliveries older than {Retention}.", purged, _options.Retention);
        }
    }
}
