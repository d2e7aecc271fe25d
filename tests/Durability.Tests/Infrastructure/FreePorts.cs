using System.Net;
using System.Net.Sockets;

namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>Loopback TCP ports that the OS considers free.</summary>
public static class FreePorts
{
    /// <summary>Distinct ports free a moment ago: all listeners are open together, so none is handed out twice.</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
