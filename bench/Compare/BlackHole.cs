using System.Net;
using System.Net.Sockets;

namespace BudgetActors.Compare;

/// <summary>
/// A webhook receiver that never answers: a socket on loopback that accepts every connection and then
/// neither reads nor writes, so each delivery waits out the sender's timeout — a dead endpoint as
/// alerts meet it in production. Connections are held until the run ends.
/// </summary>
public sealed class BlackHole : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private BlackHole()
    {
        _listener.Start(backlog: 512);
        _accepting = AcceptAsync();
    }

    /// <summary>The webhook URL (plain http: the API host runs with <c>Alerts__AllowInsecureUrls</c> and <c>Alerts__AllowPrivateNetworks</c>).</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    /// <summary>Connections accepted so far: the deliveries (and retries) that reached it.</summary>
    public int Accepted { get; private set; }

    public static BlackHole Start() => new();

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(socket);
                    Accepted++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }
}
