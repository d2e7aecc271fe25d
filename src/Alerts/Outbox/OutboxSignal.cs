using System.Threading.Channels;

namespace BudgetActors.Alerts;

/// <summary>
/// Wakes this process's delivery worker when a delivery is enqueued here or a send finishes, so a
/// new alert goes out at once instead of at the next poll. Deliveries enqueued by other silos are
/// found by polling (<c>Alerts:Delivery:PollInterval</c>).
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wake.Writer.TryWrite(true);

    /// <summary>Returns when notified (a notification sent while nobody waited counts), after <paramref name="timeout"/>, or when cancelled.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _))
        {
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
        var delay = Task.Delay(timeout, time, wait.Token);
        await Task.WhenAny(read, delay);
        wait.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
    }
}
