using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BudgetActors.Grains.Ledger;
using Npgsql;

namespace BudgetActors.LedgerBench;

/// <summary>What a budget's catch-up read costs (<see cref="ISpendLedger.ReadForBudgetAsync"/>), one read at a time.</summary>
/// <param name="ServerCpuUsPerRead">CPU of the whole PostgreSQL server (postmaster and its processes, from /proc) per read.</param>
public sealed record ReadCostResult(int Reads, int EntriesPerRead, double WallUsPerRead, double ServerCpuUsPerRead);

/// <summary>What one batch of a given size costs, written one after another on one connection.</summary>
/// <param name="BackendCpuUsPerBatch">CPU of the connection's PostgreSQL backend (from /proc) per batch.</param>
/// <param name="ClientCpuUsPerBatch">CPU of this process per batch: building the statement, Npgsql, reading the answers.</param>
public sealed record BatchCostResult(
    int BatchSize, int Batches, double WallMsPerBatch, double BackendCpuUsPerBatch, double BackendCpuUsPerEntry,
    double ClientCpuUsPerBatch, double ClientCpuUsPerEntry, double WalBytesPerEntry);

/// <summary>
/// <c>--cost</c>: the ledger's append statement on its own, without callers, queues or a second
/// connection: batches of each size are written one after another by <see cref="LedgerBatch"/> on
/// one connection, and the CPU of that connection's backend is read from /proc before and after. So
/// the figures hold PostgreSQL's work per batch and per entry — parsing aside (the statement is
/// prepared), and without the WAL writer or other backends — which the closed-loop rows mix with
/// waiting. From two sizes, the fixed cost of a batch and the cost of an entry follow.
/// </summary>
public static class BatchCost
{
    public static async Task<List<BatchCostResult>> MeasureAsync(string connectionString, IReadOnlyList<int> sizes, TimeSpan perSize, string run)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "ledgerbench-cost" }.ConnectionString);
        await connection.OpenAsync();
        await using var pidCommand = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await pidCommand.ExecuteScalarAsync())!;
        Console.WriteLine($"  the connection's backend is process {backend}");
        var results = new List<BatchCostResult>();
        var n = 0L;

        // The JIT settles first, so that the first size measured does not pay for it.
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3 / 2;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            await LedgerBatch.WriteAsync(connection, Batch(run, sizes[0], ref n), CancellationToken.None);
        }

        foreach (var size in sizes)
        {
            // Warm-up: the statement prepared for this connection, the JIT settled, the pages in memory.
            for (var i = 0; i < 5; i++)
            {
                await LedgerBatch.WriteAsync(connection, Batch(run, size, ref n), CancellationToken.None);
            }

            var wal = await WalAsync(connection);
            var backendTicks = Ticks(backend);
            var client = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var stopAt = started + (long)(perSize.TotalSeconds * Stopwatch.Frequency);
            var batches = 0;
            while (Stopwatch.GetTimestamp() < stopAt || batches < 3)
            {
                var entries = Batch(run, size, ref n);
                await LedgerBatch.WriteAsync(connection, entries, CancellationToken.None);
                batches++;
            }

            var wall = Stopwatch.GetElapsedTime(started);
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - client;
            var backendUs = (Ticks(backend) - backendTicks) * 1e6 / 100; // USER_HZ
            var walBytes = await WalAsync(connection) - wal;
            var entriesWritten = (double)batches * size;
            results.Add(new BatchCostResult(size, batches, wall.TotalMilliseconds / batches,
                backendUs / batches, backendUs / entriesWritten, clientCpu.TotalMicroseconds / batches, clientCpu.TotalMicroseconds / entriesWritten,
                walBytes / entriesWritten));
        }

        return results;
    }

    /// <summary>
    /// Reads of one budget's last <paramref name="entries"/> entries (the catch-up a budget makes
    /// before each snapshot, and its replay at activation) through a <see cref="PostgresSpendLedger"/>,
    /// one after another for <paramref name="duration"/>.
    /// </summary>
    public static async Task<ReadCostResult> MeasureReadsAsync(string connectionString, int entries, TimeSpan duration)
    {
        const string tenant = "bench-tenant-0", budget = "month";
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var watermark = source.CreateCommand(
            "SELECT min(sequence) - 1 FROM (SELECT sequence FROM budget_ledger WHERE tenant_id = $1 AND $2 = ANY (budget_ids) ORDER BY sequence DESC LIMIT $3) AS last");
        watermark.Parameters.Add(new NpgsqlParameter { Value = tenant });
        watermark.Parameters.Add(new NpgsqlParameter { Value = budget });
        watermark.Parameters.Add(new NpgsqlParameter { Value = (long)entries });
        var after = (long)(await watermark.ExecuteScalarAsync())!;
        var probe = await ServerProbe.StartAsync(connectionString);
        await using var ledger = new PostgresSpendLedger(connectionString);
        for (var i = 0; i < 20; i++)
        {
            await ledger.ReadForBudgetAsync(tenant, budget, after); // connections open, statements prepared, JIT settled
        }

        var cpu = probe.ServerTicksNow();
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var reads = 0;
        var rows = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            rows = (await ledger.ReadForBudgetAsync(tenant, budget, after)).Count;
            reads++;
        }

        var wall = Stopwatch.GetElapsedTime(started);
        return new ReadCostResult(reads, rows, wall.TotalMicroseconds / reads, (probe.ServerTicksNow() - cpu) * 1e6 / 100 / reads);
    }

    public static string ToTable(ReadCostResult read) =>
        Invariant($"catch-up read of {read.EntriesPerRead} entries, {read.Reads:N0} reads one at a time: {read.WallUsPerRead:F0} µs each, PostgreSQL CPU {read.ServerCpuUsPerRead:F0} µs per read\n");

    public static string ToTable(IReadOnlyList<BatchCostResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{"batch",6} {"batches",8} {"wall ms",8} {"pg µs/batch",12} {"pg µs/entry",12} {"client µs/entry",16} {"WAL B/entry",12}"));
        foreach (var r in results)
        {
            text.AppendLine(Invariant(
                $"{r.BatchSize,6} {r.Batches,8} {r.WallMsPerBatch,8:F2} {r.BackendCpuUsPerBatch,12:F0} {r.BackendCpuUsPerEntry,12:F1} {r.ClientCpuUsPerEntry,16:F1} {r.WalBytesPerEntry,12:N0}"));
        }

        if (results.Count >= 2)
        {
            // Two-point fit between the smallest and the largest batch: cost = fixed + size × per entry.
            var (small, large) = (results.MinBy(r => r.BatchSize)!, results.MaxBy(r => r.BatchSize)!);
            var perEntry = (large.BackendCpuUsPerBatch - small.BackendCpuUsPerBatch) / (large.BatchSize - small.BatchSize);
            var fixedCost = small.BackendCpuUsPerBatch - perEntry * small.BatchSize;
            text.AppendLine(Invariant($"backend CPU ≈ {fixedCost:F0} µs per batch + {perEntry:F1} µs per entry (from batches of {small.BatchSize} and {large.BatchSize})"));
        }

        return text.ToString();
    }

    public static string ToJson(IReadOnlyList<BatchCostResult> batches, ReadCostResult read) =>
        JsonSerializer.Serialize(new { batches, read }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    private static List<LedgerEntry> Batch(string run, int size, ref long n)
    {
        var entries = new List<LedgerEntry>(size);
        for (var i = 0; i < size; i++)
        {
            entries.Add(Workload.Entry($"{run}-cost", i, n++));
        }

        return entries;
    }

    private static async Task<long> WalAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static long Ticks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
