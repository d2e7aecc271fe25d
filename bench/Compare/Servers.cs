using System.Globalization;
using System.Net.Sockets;
using BudgetActors.TestSupport;

namespace BudgetActors.Compare;

/// <summary>A server the harness started on loopback: its process (for CPU time) and where it listens.</summary>
public sealed class Server(ChildProcess process, string name, int port) : IAsyncDisposable
{
    public ChildProcess Process { get; } = process;

    public string Name { get; } = name;

    public int Port { get; } = port;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

/// <summary>Starts the servers of a run: the API host two ways, the bare endpoint, Redis.</summary>
public sealed class Servers(string logDirectory, BenchBinaries binaries)
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    public const string ClusterId = "bench-compare";

    /// <summary>
    /// The API host as shipped (its own directory, its appsettings.json, Production) with a silo
    /// co-hosted, without the dashboard, whose polling would take CPU from what is measured.
    /// With <paramref name="postgres"/>, storage, clustering, reminders and the ledger are there.
    /// </summary>
    /// <param name="settings">More configuration, as environment variables.</param>
    public async Task<(Server Server, int GatewayPort)> StartApiHostAsync(string name, string adminKey, string? postgres, IReadOnlyDictionary<string, string>? settings = null)
    {
        var ports = FreePorts.Take(3);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__AdminKey"] = adminKey,
            ["Dashboard__Enabled"] = "false",
            ["Orleans__SiloPort"] = Invariant(ports[1]),
            ["Orleans__PrimarySiloPort"] = Invariant(ports[1]),
            ["Orleans__GatewayPort"] = Invariant(ports[2]),
            ["Orleans__ClusterId"] = $"{ClusterId}-{name}",
            ["Orleans__ServiceId"] = $"{ClusterId}-{name}",
        };
        if (postgres is not null)
        {
            environment["Storage__Provider"] = "Postgres";
            environment["ConnectionStrings__Postgres"] = postgres;
        }

        foreach (var (setting, value) in settings ?? new Dictionary<string, string>())
        {
            environment[setting] = value;
        }

        var url = $"http://127.0.0.1:{ports[0]}";
        var process = ChildProcess.Start(name, logDirectory, ChildProcess.Dotnet(), [binaries.ApiHost, "--urls", url],
            environment, workingDirectory: Path.GetDirectoryName(binaries.ApiHost));
        var server = new Server(process, name, ports[0]);
        await WaitForHealthAsync(server);
        return (server, ports[2]);
    }

    public async Task<Server> StartBareEndpointAsync()
    {
        var port = FreePorts.Take(1)[0];
        var self = typeof(BareEndpoint).Assembly.Location;
        var process = ChildProcess.Start("bare-endpoint", logDirectory, ChildProcess.Dotnet(),
            [self, BareEndpoint.Command, "--urls", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            workingDirectory: Path.GetDirectoryName(self));
        var server = new Server(process, "bare-endpoint", port);
        await WaitForHealthAsync(server);
        return server;
    }

    /// <summary>Debian's redis-server with nothing written to disk (like the API host's embedded default, all in memory).</summary>
    public async Task<Server> StartRedisAsync()
    {
        var port = FreePorts.Take(1)[0];
        var directory = Directory.CreateDirectory(Path.Combine(logDirectory, "redis")).FullName;
        var process = ChildProcess.Start("redis-server", logDirectory, "redis-server",
            ["--port", Invariant(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no"]);
        var server = new Server(process, "redis-server", port);
        var deadline = DateTime.UtcNow + StartDeadline;
        while (!await AcceptsAsync(port))
        {
            ThrowIfGone(server, deadline);
            await Task.Delay(100);
        }

        return server;
    }

    private static async Task WaitForHealthAsync(Server server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            try
            {
                using var answer = await http.GetAsync($"{server.BaseUrl}/healthz");
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            ThrowIfGone(server, deadline);
            await Task.Delay(200);
        }
    }

    private static void ThrowIfGone(Server server, DateTime deadline)
    {
        if (server.Process.HasExited || DateTime.UtcNow > deadline)
        {
            throw new InvalidOperationException(
                $"{server.Name} did not start{(server.Process.HasExited ? $" (it exited with {server.Process.ExitCode})" : $" within {StartDeadline.TotalSeconds:0} s")}." +
                $"{Environment.NewLine}{server.Process.Tail}");
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The programs the harness starts, as this build made them (bench-binaries.txt, written by the build).</summary>
public sealed record BenchBinaries(string ApiHost, string CheckBench, string LedgerBench)
{
    public static BenchBinaries Load()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "bench-binaries.txt");
        var lines = File.ReadAllLines(file)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        var binaries = new BenchBinaries(lines["apihost"], lines["checkbench"], lines["ledgerbench"]);
        foreach (var path in new[] { binaries.ApiHost, binaries.CheckBench, binaries.LedgerBench })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: build bench/Compare (bench/compare.sh does) before running it.");
            }
        }

        return binaries;
    }
}
