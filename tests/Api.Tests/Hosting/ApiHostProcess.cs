using System.Diagnostics;
using System.Net;
using BudgetActors.TestSupport;

namespace BudgetActors.Api.Tests.Hosting;

/// <summary>
/// The built ApiHost running as a real OS process on a real Kestrel port, with its own co-hosted silo
/// on free Orleans ports. Its stdout and stderr are kept (and written to <see cref="LogPath"/>) so that a
/// failure can say what the host said.
/// </summary>
public sealed class ApiHostProcess : IAsyncDisposable
{
    public const string AssemblyName = "BudgetActors.ApiHost.dll";

    private const int KeptLines = 300;
    private static int _ownHosts;
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly StreamWriter _log;

    private ApiHostProcess(Process process, Uri baseAddress, StreamWriter log, string logPath, int gatewayPort, string clusterId)
    {
        _process = process;
        BaseAddress = baseAddress;
        GatewayPort = gatewayPort;
        ClusterId = clusterId;
        _log = log;
        LogPath = logPath;
    }

    public Uri BaseAddress { get; }

    /// <summary>The co-hosted silo's gateway, for a test that calls the grains as a job worker does.</summary>
    public int GatewayPort { get; }

    /// <summary>The cluster (and service) id of the co-hosted silo.</summary>
    public string ClusterId { get; }

    /// <summary>Everything the host printed in this run, for reading after a failed test run.</summary>
    public string LogPath { get; }

    /// <summary>The last lines the host printed, stdout and stderr interleaved.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    /// <summary>
    /// Starts the host and waits until <c>GET /healthz</c> answers 200. A host that dies before that (a
    /// port taken between probing and binding, say) is retried on new ports a couple of times.
    /// </summary>
    /// <param name="environment">Settings of this host on top of the tests' usual ones (for a test that needs a host of its own).</param>
    public static async Task<ApiHostProcess> StartAsync(string adminKey, TimeSpan deadline, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, AssemblyName);
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException(
                $"{AssemblyName} is not next to the test assembly ({AppContext.BaseDirectory}). Api.Tests must reference src/ApiHost so that the build copies it there.");
        }

        // A host of a test's own writes a log of its own, beside the shared host's.
        var logPath = Path.Combine(AppContext.BaseDirectory, environment is null ? "apihost.log" : $"apihost-own-{Interlocked.Increment(ref _ownHosts)}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var host = Launch(dll, adminKey, log, logPath, environment);
            var outcome = await host.WaitUntilHealthyAsync(deadline);
            if (outcome == Startup.Healthy)
            {
                return host;
            }

            var output = host.RecentOutput;
            await host.StopAsync();
            if (outcome == Startup.Exited && attempt < attempts)
            {
                await log.WriteLineAsync($"--- the host exited during start (attempt {attempt}); retrying on new ports");
                continue;
            }

            await log.DisposeAsync();
            throw new InvalidOperationException(
                $"The ApiHost did not become healthy ({outcome}) within {deadline.TotalSeconds:0} s. Full log: {logPath}. Last output:{Environment.NewLine}{output}");
        }
    }

    private static ApiHostProcess Launch(string dll, string adminKey, StreamWriter log, string logPath, IReadOnlyDictionary<string, string>? environment)
    {
        var ports = FreePorts.Take(3);
        int httpPort = ports[0], siloPort = ports[1], gatewayPort = ports[2];
        var baseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        var cluster = "api-tests-" + Guid.NewGuid().ToString("N")[..12];

        var start = new ProcessStartInfo(BudgetActors.TestSupport.DotnetHost.Executable)
        {
            WorkingDirectory = AppContext.BaseDirectory, // appsettings.json is found from here
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Auth__AdminKey"] = adminKey;
        start.Environment["Orleans__SiloPort"] = siloPort.ToString();
        start.Environment["Orleans__GatewayPort"] = gatewayPort.ToString();
        start.Environment["Orleans__PrimarySiloPort"] = siloPort.ToString();
        start.Environment["Orleans__ClusterId"] = cluster; // never join another run's silo
        start.Environment["Orleans__ServiceId"] = cluster;

        // Alerts go to receivers on this machine, over plain http, and retry within seconds.
        start.Environment["Alerts__AllowInsecureUrls"] = "true";
        start.Environment["Alerts__AllowPrivateNetworks"] = "true";
        start.Environment["Alerts__Delivery__FirstRetryDelay"] = "00:00:00.500";
        start.Environment["Alerts__Delivery__MaxRetryDelay"] = "00:00:01";
        start.Environment["Alerts__Delivery__MaxAttempts"] = "3";
        start.Environment["Alerts__Delivery__SendTimeout"] = "00:00:02";
        start.Environment["Alerts__Delivery__LeaseDuration"] = "00:00:05";
        start.Environment["Alerts__Delivery__PollInterval"] = "00:00:00.200";

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        log.WriteLine($"--- dotnet {dll} --urls {baseAddress} (silo {siloPort}, gateway {gatewayPort})");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new ApiHostProcess(process, baseAddress, log, logPath, gatewayPort, cluster);
        process.OutputDataReceived += (_, e) => host.Record("out", e.Data);
        process.ErrorDataReceived += (_, e) => host.Record("err", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private enum Startup
    {
        Healthy,
        Exited,
        TimedOut,
    }

    private async Task<Startup> WaitUntilHealthyAsync(TimeSpan deadline)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var giveUpAt = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < giveUpAt)
        {
            if (_process.HasExited)
            {
                return Startup.Exited;
            }

            try
            {
                using var response = await probe.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Startup.Healthy;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(HealthPollInterval);
        }

        return _process.HasExited ? Startup.Exited : Startup.TimedOut;
    }

    private void Record(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue($"[{stream}] {line}");
            while (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }

            try
            {
                _log.WriteLine($"[{stream}] {line}");
            }
            catch (ObjectDisposedException)
            {
                // a line that arrives after the run ended
            }
        }
    }

    /// <summary>Kills the host and everything it started, and waits for it to be gone.</summary>
    private async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        catch (OperationCanceledException)
        {
            // killed but not yet reaped: nothing more this run can do about it
        }
        finally
        {
            _process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_lines)
        {
            _log.Dispose();
        }
    }
}
