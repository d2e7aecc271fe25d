using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts;

/// <summary>
/// Sends one attempt through the sender of the channel's type, within the send timeout
/// (<c>Alerts:Delivery:SendTimeout</c>, on the <see cref="TimeProvider"/>). The delivery worker uses
/// it; a host may also call it directly (a channel test that answers with the result).
/// </summary>
public sealed class AlertDispatcher
{
    private readonly Dictionary<AlertChannelType, IAlertSender> _senders;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public AlertDispatcher(IEnumerable<IAlertSender> senders, IOptions<AlertOptions> options, TimeProvider time)
    {
        _senders = [];
        foreach (var sender in senders)
        {
            // The last registered sender of a type wins, so a host can replace one.
            _senders[sender.Type] = sender;
        }

        _timeout = options.Value.Delivery.SendTimeout;
        _time = time;
    }

    /// <summary>Never throws for a failed send (only when <paramref name="cancellationToken"/> fires).</summary>
    public async Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(channel.Type, out var sender))
        {
            return SendResult.Failure($"no sender for {channel.Type} channels", final: true);
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await sender.SendAsync(channel, attempt, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.Failure($"timed out after {_timeout.TotalSeconds:0.###} s");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return SendResult.Failure($"{error.GetType().Name}: {error.Message}");
        }
    }
}
