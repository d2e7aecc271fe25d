using BudgetActors.Grains.Ledger;
using BudgetActors.LedgerBench;
using Npgsql;

// Durable appends per second and their latency, group commit against one row per commit, on a
// private PostgreSQL server started for the run. See bench/README.md.
if (BenchOptions.Parse(args) is not { } options)
{
    return 2;
}

var startedAt = DateTimeOffset.UtcNow;
Console.WriteLine($"LedgerBench — {LedgerReport.DescribeMachine()}");
Console.WriteLine("  starting a private PostgreSQL server (scripts/postgres.sh)");
await using var server = await PrivatePostgres.StartAsync();
var database = await DescribeDatabaseAsync(server.ConnectionString);
Console.WriteLine($"  {database}");

await using var groupCommit = new PostgresSpendLedger(server.ConnectionString, new LedgerOptions { MaxBatchSize = options.MaxBatchSize, Writers = options.Writers });
await using var oneRowPerCommit = new PostgresSpendLedger(server.ConnectionString, new LedgerOptions { OneRowPerCommit = true });

// A second group-commit ledger is a second writer, as a second silo has: its own writer loops and pool.
await using var secondWriter = new PostgresSpendLedger(server.ConnectionString, new LedgerOptions { MaxBatchSize = options.MaxBatchSize, Writers = options.Writers });

// Each step is measured on its own; the rows of one step run at the same time.
var steps = options.Concurrency
    .SelectMany(callers => new List<Row[]>
    {
        new[] { new Row(LedgerReport.GroupCommit, callers, groupCommit) },
        new[] { new Row(LedgerReport.OneRowPerCommit, callers, oneRowPerCommit) },
    }.Concat(options.TwoWriters
        ? [
            [new Row(LedgerReport.OneWriter, callers, groupCommit, "bench-writer-0")],
            [new Row(LedgerReport.TwoWritersA, callers, groupCommit, "bench-writer-a"), new Row(LedgerReport.TwoWritersB, callers, secondWriter, "bench-writer-b")],
        ]
        : []))
    .ToList();
var rows = steps.SelectMany(step => step).ToList();

Console.WriteLine($"  warming up every row ({options.JitWarmup.TotalSeconds:0.#} s each)");
foreach (var step in steps)
{
    await Task.WhenAll(step.Select(row => row.WarmUpAsync(options.JitWarmup)));
}

for (var round = 1; round <= options.Rounds; round++)
{
    Console.WriteLine($"  round {round}/{options.Rounds}");
    foreach (var step in steps)
    {
        await Task.WhenAll(step.Select(row => row.RunRoundAsync(options.Warmup, options.WindowPerRound)));
    }
}

// Every answered append must be in the table, once.
var stored = await CountStoredAsync(server.ConnectionString);
var answered = rows.Sum(r => r.Answered);
if (stored != answered)
{
    Console.Error.WriteLine($"MISMATCH: {answered:N0} appends answered, {stored:N0} rows stored");
    return 1;
}

var report = new LedgerReport(startedAt, LedgerReport.DescribeMachine(), database, options, [.. rows.Select(r => r.Summarize())]);
Console.WriteLine();
Console.Write(report.ToTable());
Console.WriteLine($"\n{answered:N0} appends answered, {stored:N0} rows in budget_ledger: every answered append is stored.");

var directory = ResultsDirectory(options.OutputDirectory);
Directory.CreateDirectory(directory);
var stem = Path.Combine(directory, $"ledgerbench-{startedAt:yyyyMMdd-HHmmss}");
await File.WriteAllTextAsync(stem + ".md", report.ToMarkdown());
await File.WriteAllTextAsync(stem + ".json", report.ToJson());
Console.WriteLine($"written: {stem}.md, {stem}.json");
return 0;

static async Task<string> DescribeDatabaseAsync(string connectionString)
{
    await using var source = NpgsqlDataSource.Create(connectionString);
    await using var command = source.CreateCommand(
        "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('wal_sync_method')");
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return $"PostgreSQL {reader.GetString(0)} on the same machine (TCP to 127.0.0.1), fsync={reader.GetString(1)}, " +
        $"synchronous_commit={reader.GetString(2)}, wal_sync_method={reader.GetString(3)}";
}

static async Task<long> CountStoredAsync(string connectionString)
{
    await using var source = NpgsqlDataSource.Create(connectionString);
    await using var command = source.CreateCommand("SELECT count(*) FROM budget_ledger");
    return (long)(await command.ExecuteScalarAsync())!;
}

// A relative directory is taken from the repository root, so results land in bench/results wherever the command is run from.
static string ResultsDirectory(string configured) =>
    Path.IsPathRooted(configured) ? configured : Path.Combine(PrivatePostgres.RepositoryRoot, configured);
