using System.Net;
using System.Net.Sockets;
using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BudgetActors.CheckBench;

/// <summary>
/// A silo co-hosted in this process the way the API host embeds one by default (localhost clustering
/// plus <see cref="BudgetActorsHosting.AddBudgetActorsGrains"/>), without the dashboard and on free
/// ports, so the benchmark can run beside a running API host.
/// </summary>
public static class BenchSilo
{
    public static async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:Enabled"] = "false" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, serviceId: "check-bench", clusterId: "check-bench")
            .AddBudgetActorsGrains(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
