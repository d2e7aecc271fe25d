using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace BudgetActors.LedgerBench;

/// <summary>
/// Where one step's time went, over its measuring windows: CPU of the PostgreSQL server (the
/// postmaster and every process it started, from /proc), of this process (callers and ledger), and
/// of the whole machine (/proc/stat, so what other work took shows too); WAL written; and what the
/// ledger's backends were doing, sampled from pg_stat_activity every <see cref="SampleEvery"/>.
/// </summary>
/// <param name="Entries">Appends answered inside the windows, over every row of the step.</param>
/// <param name="ServerCpuUsPerEntry">PostgreSQL CPU (backends and background processes) per answered append.</param>
/// <param name="ClientCpuUsPerEntry">This process's CPU per answered append: the callers, the ledger and Npgsql.</param>
/// <param name="WalBytesPerEntry">WAL written (pg_current_wal_lsn) per answered append.</param>
/// <param name="MachineBusyCores">Cores busy on average (every process of the machine, not only these).</param>
/// <param name="ServerCores">Cores the PostgreSQL server kept busy on average.</param>
/// <param name="ClientCores">Cores this process kept busy on average.</param>
/// <param name="Samples">How many times pg_stat_activity was sampled.</param>
/// <param name="BackendStates">
/// How many of the step's connections were, on average over the samples, in each state: "idle"
/// (waiting for the next batch from the client, or unused in the pool), "running" (active, no wait
/// event: on a CPU or waiting for one), or the wait event's type and name (e.g. "Lock:advisory",
/// "IO:WALSync", "LWLock:WALWrite"). A writer loop whose batch is always in the server adds 1. When
/// the step has several ledgers, each state starts with the ledger's label ("a idle", "b running").
/// </param>
public sealed record StepProfile(
    string Step, long Entries, double Seconds, double ServerCpuUsPerEntry, double ClientCpuUsPerEntry, double WalBytesPerEntry,
    double MachineBusyCores, double ServerCores, double ClientCores, long Samples, IReadOnlyDictionary<string, double> BackendStates);

/// <summary>Measures <see cref="StepProfile"/>s on a server on this machine (its /proc is read; a remote one gives CPU figures of 0).</summary>
public sealed class ServerProbe
{
    public static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(25);

    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly string connectionString;
    private readonly int? postmaster;

    private ServerProbe(string connectionString, int? postmaster) => (this.connectionString, this.postmaster) = (connectionString, postmaster);

    public static async Task<ServerProbe> StartAsync(string connectionString)
    {
        int? postmaster = null;
        try
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            await using var command = source.CreateCommand("SELECT current_setting('data_directory')");
            var dataDirectory = (string)(await command.ExecuteScalarAsync())!;
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            if (File.Exists(pidFile))
            {
                postmaster = int.Parse((await File.ReadAllLinesAsync(pidFile))[0], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NpgsqlException or FormatException)
        {
            Console.Error.WriteLine($"  (server CPU not measured: {error.Message})");
        }

        return new ServerProbe(connectionString, postmaster);
    }

    /// <summary>Accumulates one window into <paramref name="into"/>; waits until the window is over.</summary>
    /// <param name="applications">The application_name of the connections to sample (the step's ledgers'), and a short label for each.</param>
    public async Task MeasureWindowAsync(Accumulator into, IReadOnlyDictionary<string, string> labels, long measureFrom, long stopAt)
    {
        await Task.Delay(Until(measureFrom));
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "ledgerbench-probe" }.ConnectionString);
        await connection.OpenAsync();
        var before = await SnapshotAsync(connection);
        var states = new Dictionary<string, long>();
        long samples = 0;
        await using (var sample = new NpgsqlCommand(
            "SELECT CASE WHEN state = 'idle' THEN 'idle' WHEN wait_event IS NULL THEN 'running' ELSE wait_event_type || ':' || wait_event END, application_name " +
            "FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name = ANY($1)",
            connection))
        {
            sample.Parameters.Add(new NpgsqlParameter { Value = labels.Keys.ToArray() });
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await using (var reader = await sample.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        // With several ledgers in the step, each connection's state is told apart by its ledger's label.
                        var state = labels.Count > 1 ? $"{labels[reader.GetString(1)]} {reader.GetString(0)}" : reader.GetString(0);
                        states[state] = states.GetValueOrDefault(state) + 1;
                    }
                }

                samples++;

                await Task.Delay(SampleEvery);
            }
        }

        var after = await SnapshotAsync(connection);
        lock (into)
        {
            into.Seconds += Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
            into.ServerTicks += after.ServerTicks - before.ServerTicks;
            into.ClientCpu += after.ClientCpu - before.ClientCpu;
            into.MachineBusyTicks += after.MachineBusyTicks - before.MachineBusyTicks;
            into.WalBytes += after.WalBytes - before.WalBytes;
            into.Samples += samples;
            foreach (var (state, count) in states)
            {
                into.States[state] = into.States.GetValueOrDefault(state) + count;
            }
        }
    }

    private async Task<Snapshot> SnapshotAsync(NpgsqlConnection connection)
    {
        await using var lsn = new NpgsqlCommand("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint", connection);
        var wal = (long)(await lsn.ExecuteScalarAsync())!;
        return new Snapshot(Stopwatch.GetTimestamp(), ServerTicks(), Process.GetCurrentProcess().TotalProcessorTime, MachineBusyTicks(), wal);
    }

    /// <summary>CPU ticks (1/100 s) of the server so far; 0 when it is not on this machine.</summary>
    public long ServerTicksNow() => ServerTicks();

    // utime + stime of the postmaster and its children (backends, WAL writer, checkpointer, ...),
    // and of the children that have ended (a backend whose connection closed).
    private long ServerTicks()
    {
        if (postmaster is not { } root)
        {
            return 0;
        }

        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == root || parent == root)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }

                if (pid == root)
                {
                    ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process ended meanwhile, or is not ours to read
            }
        }

        return ticks;
    }

    private static long MachineBusyTicks()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var idle = cpu[3] + cpu[4]; // idle + iowait
            return cpu.Take(8).Sum() - idle; // user .. steal, without guest (counted in user already)
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private static TimeSpan Until(long timestamp)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private readonly record struct Snapshot(long Timestamp, long ServerTicks, TimeSpan ClientCpu, long MachineBusyTicks, long WalBytes);

    /// <summary>One step's windows added up.</summary>
    public sealed class Accumulator(string step)
    {
        public double Seconds { get; set; }
        public long ServerTicks { get; set; }
        public TimeSpan ClientCpu { get; set; }
        public long MachineBusyTicks { get; set; }
        public long WalBytes { get; set; }
        public long Samples { get; set; }
        public Dictionary<string, long> States { get; } = [];

        public StepProfile Summarize(long entries)
        {
            var perEntry = entries == 0 ? 0 : 1.0 / entries;
            return new StepProfile(step, entries, Seconds,
                ServerTicks / TicksPerSecond * 1e6 * perEntry, ClientCpu.TotalMicroseconds * perEntry, WalBytes * perEntry,
                MachineBusyTicks / TicksPerSecond / Seconds, ServerTicks / TicksPerSecond / Seconds, ClientCpu.TotalSeconds / Seconds,
                Samples,
                States.OrderByDescending(s => s.Value).ToDictionary(s => s.Key, s => Samples == 0 ? 0 : (double)s.Value / Samples));
        }
    }
}
