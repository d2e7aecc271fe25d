namespace BudgetActors.ApiHost.Cluster;

/// <summary>
/// Tells the grain calls of an API host in client mode that a gateway connection was lost. A call
/// sent through that gateway (or forwarded by it to another silo) will never be answered — its
/// answer would come back on the lost connection — yet Orleans gives up on it only at the client's
/// response timeout. A silo killed with SIGKILL on a reachable host resets its connections at once,
/// so this is known at once: every call under way then is given up and, when it may be sent again
/// (<see cref="ClusterRetry"/>), sent again through a gateway that is alive.
/// </summary>
public sealed class GatewayLoss(ILogger<GatewayLoss> logger) : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _current = new();
    private long _lastLoss = long.MinValue;

    /// <summary>Cancelled when a gateway connection is lost after this token was taken.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    /// <summary>When a gateway connection was last lost (<see cref="System.Diagnostics.Stopwatch"/> ticks), or <see cref="long.MinValue"/>.</summary>
    public long LastLoss => Volatile.Read(ref _lastLoss);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            logger.LogWarning("A gateway connection was lost ({Gateways} of {Previous} left): grain calls under way are sent again", currentNumberOfGateways, previousNumberOfGateways);
            Lost();
        }
    }

    public void NotifyClusterConnectionLost()
    {
        logger.LogWarning("Every gateway connection was lost: grain calls under way are given up");
        Lost();
    }

    private void Lost()
    {
        Volatile.Write(ref _lastLoss, System.Diagnostics.Stopwatch.GetTimestamp());
        var lost = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        lost.Cancel(); // not disposed: calls may still be registering on its token
    }
}
