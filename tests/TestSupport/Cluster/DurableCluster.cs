using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace BudgetActors.TestSupport.Cluster;

/// <summary>
/// The durable deployment as an operator runs it, all real OS processes: a private PostgreSQL
/// server (scripts/postgres.sh, the whole schema applied), two <c>BudgetActors.Silo</c> processes
/// clustered through PostgreSQL, and one <c>BudgetActors.ApiHost</c> in client mode that finds the
/// silos' gateways through the membership table. Silos can be killed with SIGKILL and restarted.
/// </summary>
public sealed class DurableCluster : IAsyncDisposable
{
    public const int SiloCount = 2;

    /// <summary>Orleans' SiloStatus.Active as the membership table stores it.</summary>
    private const int ActiveStatus = 3;

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly SiloSlot[] silos;
    private readonly List<HostProcess> started = [];
    private readonly HttpClient http;
    private readonly NpgsqlDataSource database;
    private volatile HostProcess? apiHost;
    private int apiHostIncarnation;
    private int apiHostRestarts;
    private volatile bool disposing;

    private readonly IReadOnlyDictionary<string, string> settings;

    private DurableCluster(PrivatePostgres postgres, int apiPort, IReadOnlyDictionary<string, string> settings)
    {
        this.settings = settings;
        Postgres = postgres;
        ClusterId = "durability-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        AdminKey = "adm-durability-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        ApiAddress = new Uri($"http://127.0.0.1:{apiPort}/");
        silos = [.. Enumerable.Range(0, SiloCount).Select(_ => new SiloSlot(FreePorts.Take(2)))];

        // Many requests at once during the load tests; an attempt that hangs on a dead silo is given up and retried.
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, AllowAutoRedirect = false })
        {
            BaseAddress = ApiAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
        Api = new ApiClient(http, Diagnostics);

        // No pooling: the tests' own queries must not trip over connections broken by a paused server.
        database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString);

        // If the test run is torn down without disposing the fixture, the hosts and the server still go.
        AppDomain.CurrentDomain.ProcessExit += KillEverything;
    }

    public PrivatePostgres Postgres { get; }

    public string ClusterId { get; }

    public string AdminKey { get; }

    public Uri ApiAddress { get; }

    public ApiClient Api { get; }

    /// <summary>How often the API host was stopped from outside the test run and started again.</summary>
    public int ApiHostRestarts => Volatile.Read(ref apiHostRestarts);

    /// <summary>The test's own connections to the cluster's database (for reading what is stored).</summary>
    public NpgsqlDataSource Database => database;

    /// <param name="settings">
    /// Configuration for every host, silos and API host alike, as environment variables (e.g.
    /// <c>Orleans__ProbeTimeout</c>), over what the cluster sets itself: a run that measures another setting.
    /// </param>
    public static async Task<DurableCluster> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var postgres = await PrivatePostgres.StartAsync();
        var cluster = new DurableCluster(postgres, FreePorts.Take(1)[0], settings ?? new Dictionary<string, string>());
        try
        {
            await Task.WhenAll(Enumerable.Range(0, SiloCount).Select(cluster.StartSiloAsync));
            await cluster.StartApiHostAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>kill -9</c> of one silo; returns once the process is gone.</summary>
    public async Task KillSiloAsync(int index)
    {
        if (silos[index].Process is { HasExited: false } process)
        {
            await process.KillAsync();
            Note($"silo {index} (pid {process.Id}) killed with SIGKILL");
        }
    }

    /// <summary><c>kill -9</c> of every silo at once.</summary>
    public Task KillAllSilosAsync() => Task.WhenAll(Enumerable.Range(0, SiloCount).Select(KillSiloAsync));

    /// <summary>Starts a killed silo again (on its ports if it can) and waits until it is active in the cluster.</summary>
    public async Task RestartSiloAsync(int index)
    {
        await KillSiloAsync(index); // never two incarnations at once
        await StartSiloAsync(index);
    }

    /// <summary>Starts every silo again (after <see cref="KillAllSilosAsync"/>) and waits until the API host serves through them.</summary>
    public async Task StartKilledSilosAsync()
    {
        await KillAllSilosAsync(); // never two incarnations at once
        await Task.WhenAll(Enumerable.Range(0, SiloCount).Select(StartSiloAsync));
        await WaitUntilServingAsync();
    }

    /// <summary>Kills every silo with SIGKILL, then restarts them all: every grain activates anew from storage.</summary>
    public async Task CrashAndRestartAllSilosAsync()
    {
        await KillAllSilosAsync();
        await StartKilledSilosAsync();
    }

    /// <summary>
    /// Waits until the API host answers through the cluster: <c>/healthz</c> counts every silo, and a
    /// grain call (reading a tenant that does not exist) is answered.
    /// </summary>
    public async Task WaitUntilServingAsync()
    {
        var probe = $"/v1/tenants/probe-{Guid.NewGuid():N}";
        var deadline = DateTime.UtcNow + StartDeadline;
        var last = "nothing yet";
        while (DateTime.UtcNow < deadline)
        {
            if (apiHost is { HasExited: true, ExitCode: not 0 } crashed)
            {
                throw new InvalidOperationException($"The API host crashed (exit code {crashed.ExitCode}).{Environment.NewLine}{Diagnostics()}");
            }

            try
            {
                var health = await Api.SendAsync(HttpMethod.Get, "/healthz", AdminKey);
                last = $"healthz: {health}";
                if (health.Status == HttpStatusCode.OK && health.Json["silos"]?.GetValue<int>() == SiloCount)
                {
                    var tenant = await Api.GetAsync(probe, AdminKey);
                    last = $"GET {probe}: {tenant}";
                    if (tenant.Status == HttpStatusCode.NotFound)
                    {
                        Note($"the API host serves through {SiloCount} silos");
                        return;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The API host did not serve through {SiloCount} silos within {StartDeadline.TotalSeconds:0} s; last: {last}{Environment.NewLine}{Diagnostics()}");
    }

    /// <summary>Writes what the cluster goes through (kills, starts, waits) to cluster.log, with times.</summary>
    public void Note(string text)
    {
        lock (started)
        {
            File.AppendAllText(Path.Combine(HostBinaries.LogDirectory, "cluster.log"), $"{DateTime.UtcNow:HH:mm:ss.fff} {text}{Environment.NewLine}");
        }
    }

    /// <summary>What every running process printed last, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var process in silos.Select(s => s.Process).Append(apiHost).OfType<HostProcess>())
        {
            text.AppendLine(process.Tail);
        }

        return text.Append($"(all logs: {HostBinaries.LogDirectory})").ToString();
    }

    private async Task StartSiloAsync(int index)
    {
        var slot = silos[index];
        var newerThan = await LatestGenerationAsync(slot.SiloPort);
        const int attempts = 4;
        for (var attempt = 1; ; attempt++)
        {
            var process = HostProcess.Start($"silo{index}.{++slot.Incarnation}", HostBinaries.Silo, SiloEnvironment(slot));
            Note($"silo {index} started (pid {process.Id}, ports {slot.SiloPort}/{slot.GatewayPort}, attempt {attempt})");
            lock (started)
            {
                started.Add(process);
            }

            slot.Process = process;
            var deadline = DateTime.UtcNow + StartDeadline;
            while (!process.HasExited && DateTime.UtcNow < deadline && !await IsActiveAsync(slot.SiloPort, newerThan))
            {
                await Task.Delay(200);
            }

            if (!process.HasExited && DateTime.UtcNow < deadline)
            {
                Note($"silo {index} (pid {process.Id}, ports {slot.SiloPort}/{slot.GatewayPort}) is active");
                return;
            }

            var tail = process.Tail;
            await process.KillAsync();
            if (attempt == attempts)
            {
                throw new InvalidOperationException($"Silo {index} did not become active in the cluster.{Environment.NewLine}{tail}");
            }

            // A port of the killed incarnation may still be held for a moment; after two tries, take new ones.
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (attempt >= 2)
            {
                slot.MoveTo(FreePorts.Take(2));
                newerThan = 0;
            }
        }
    }

    private async Task StartApiHostAsync()
    {
        LaunchApiHost();
        await WaitUntilServingAsync();

        // It runs from its own copy in the test output, with that directory's appsettings.json.
        var contentRoot = Path.GetDirectoryName(HostBinaries.ApiHost)!;
        if (!apiHost!.Printed($"Content root path: {contentRoot}"))
        {
            throw new InvalidOperationException($"The API host does not run from {contentRoot}.{Environment.NewLine}{apiHost.Tail}");
        }
    }

    private void LaunchApiHost()
    {
        var environment = new Dictionary<string, string>(CommonEnvironment())
        {
            ["Orleans__Mode"] = "Client",
            ["Auth__AdminKey"] = AdminKey,
        };
        var process = HostProcess.Start($"apihost.{++apiHostIncarnation}", HostBinaries.ApiHost, environment, "--urls", ApiAddress.ToString().TrimEnd('/'));
        process.ExitedByItself += OnApiHostExited;
        lock (started)
        {
            started.Add(process);
        }

        apiHost = process;
        Note($"API host started (pid {process.Id}, {ApiAddress})");
    }

    /// <summary>
    /// The API host never stops by itself: a clean exit (code 0, after "Application is shutting
    /// down") means that something outside this test run signalled it — on a shared machine, a
    /// process killed by name. It is started again on its address (its clients retry, as they would
    /// after any crash of it). A crash (any other code) is not papered over: the tests see it.
    /// </summary>
    private void OnApiHostExited(HostProcess process, int exitCode)
    {
        Note($"API host (pid {process.Id}) exited by itself with code {exitCode}");
        if (exitCode == 0 && !disposing)
        {
            Interlocked.Increment(ref apiHostRestarts);
            LaunchApiHost();
        }
    }

    private Dictionary<string, string> SiloEnvironment(SiloSlot slot) => new(CommonEnvironment())
    {
        ["Orleans__SiloPort"] = slot.SiloPort.ToString(),
        ["Orleans__GatewayPort"] = slot.GatewayPort.ToString(),
    };

    private Dictionary<string, string> CommonEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = Postgres.ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ClusterId,
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return environment;
    }

    private async Task<int> LatestGenerationAsync(int port)
    {
        await using var query = database.CreateCommand(
            "SELECT coalesce(max(generation), 0) FROM orleansmembershiptable WHERE deploymentid = $1 AND port = $2");
        query.Parameters.Add(new NpgsqlParameter { Value = ClusterId });
        query.Parameters.Add(new NpgsqlParameter { Value = port });
        return (int)(await query.ExecuteScalarAsync())!;
    }

    private async Task<bool> IsActiveAsync(int port, int newerThanGeneration)
    {
        await using var query = database.CreateCommand(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = $1 AND port = $2 AND generation > $3 AND status = $4");
        query.Parameters.Add(new NpgsqlParameter { Value = ClusterId });
        query.Parameters.Add(new NpgsqlParameter { Value = port });
        query.Parameters.Add(new NpgsqlParameter { Value = newerThanGeneration });
        query.Parameters.Add(new NpgsqlParameter { Value = ActiveStatus });
        return (long)(await query.ExecuteScalarAsync())! > 0;
    }

    private void KillEverything(object? sender, EventArgs e)
    {
        disposing = true;
        lock (started)
        {
            started.ForEach(process => process.KillNow());
        }

        Postgres.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillEverything;
        disposing = true;
        List<HostProcess> all;
        lock (started)
        {
            all = [.. started];
        }

        foreach (var process in all)
        {
            await process.DisposeAsync();
        }

        http.Dispose();
        await database.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>A silo's place in the cluster: its ports, and the process running there now.</summary>
    private sealed class SiloSlot(int[] ports)
    {
        public int SiloPort { get; private set; } = ports[0];

        public int GatewayPort { get; private set; } = ports[1];

        public int Incarnation { get; set; }

        public HostProcess? Process { get; set; }

        public void MoveTo(int[] newPorts) => (SiloPort, GatewayPort) = (newPorts[0], newPorts[1]);
    }
}
