using System.Diagnostics;
using BudgetActors.Grains.Ledger;
using BudgetActors.LedgerBench;
using BudgetActors.TestSupport;
using Npgsql;

// Durable appends per second and their latency, group commit against one row per commit, on a
// private PostgreSQL server started for the run. See bench/README.md.
if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (BenchOptions.Parse(args) is not { } options)
{
    return 2;
}

var startedAt = DateTimeOffset.UtcNow;
Console.WriteLine($"LedgerBench — {LedgerReport.DescribeMachine()}");
Console.WriteLine(options.Connection is null ? "  starting a private PostgreSQL server (scripts/postgres.sh)" : "  on the database of --connection");
await using var server = options.Connection is null ? await PrivatePostgres.StartAsync() : null;
var connectionString = options.Connection ?? server!.ConnectionString;
var database = await DescribeDatabaseAsync(connectionString);
Console.WriteLine($"  {database}");
var storedBefore = await CountStoredAsync(connectionString);

if (options.CostSizes is { } sizes)
{
    Console.WriteLine($"  the append statement alone: batches of {string.Join(", ", sizes)} entries, {options.Duration.TotalSeconds:0.#} s each, on one connection");
    var costs = await BatchCost.MeasureAsync(connectionString, sizes, options.Duration, Guid.NewGuid().ToString("N")[..8]);
    var read = await BatchCost.MeasureReadsAsync(connectionString, entries: 30, options.Duration);
    Console.WriteLine();
    Console.Write(BatchCost.ToTable(costs));
    Console.Write(BatchCost.ToTable(read));
    Console.WriteLine($"load average at the end: {LoadAverage()}");
    var costDirectory = ResultsDirectory(options.OutputDirectory);
    Directory.CreateDirectory(costDirectory);
    var costFile = Path.Combine(costDirectory, $"ledgercost-{startedAt:yyyyMMdd-HHmmss}.json");
    await File.WriteAllTextAsync(costFile, BatchCost.ToJson(costs, read));
    Console.WriteLine($"written: {costFile}");
    return 0;
}

// Each ledger's connections carry its name (application_name), so the probe samples only the step's own.
const string GroupCommitName = "ledgerbench-group-commit", BaselineName = "ledgerbench-one-row-per-commit", SecondName = "ledgerbench-second-writer";
await using var groupCommit = new PostgresSpendLedger(Named(connectionString, GroupCommitName), new LedgerOptions { MaxBatchSize = options.MaxBatchSize, Writers = options.Writers });
await using var oneRowPerCommit = new PostgresSpendLedger(Named(connectionString, BaselineName), new LedgerOptions { OneRowPerCommit = true });

// A second group-commit ledger is a second writer, as a second silo has: its own writer loops and pool.
await using var secondWriter = new PostgresSpendLedger(Named(connectionString, SecondName), new LedgerOptions { MaxBatchSize = options.MaxBatchSize, Writers = options.Writers });

// Each step is measured on its own; the rows of one step run at the same time.
var steps = options.Concurrency
    .SelectMany(callers => new List<Row[]> { new[] { new Row(LedgerReport.GroupCommit, callers, groupCommit, GroupCommitName) } }
    .Concat(options.Baseline ? [[new Row(LedgerReport.OneRowPerCommit, callers, oneRowPerCommit, BaselineName)]] : [])
    .Concat(options.TwoWriters
        ? [
            [new Row(LedgerReport.OneWriter, callers, groupCommit, GroupCommitName, "bench-writer-0")],
            [new Row(LedgerReport.TwoWritersA, callers, groupCommit, GroupCommitName, "bench-writer-a"),
             new Row(LedgerReport.TwoWritersB, callers, secondWriter, SecondName, "bench-writer-b")],
        ]
        : [])
    .Concat(options.SharedTenants
        ? [[new Row(LedgerReport.SharedA, callers, groupCommit, GroupCommitName), new Row(LedgerReport.SharedB, callers, secondWriter, SecondName)]]
        : []))
    .ToList();
var rows = steps.SelectMany(step => step).ToList();

Console.WriteLine($"  warming up every row ({options.JitWarmup.TotalSeconds:0.#} s each)");
foreach (var step in steps)
{
    await Task.WhenAll(step.Select(row => row.WarmUpAsync(options.JitWarmup)));
}

// Where each step's time goes: CPU of the server, of this process and of the machine, WAL, and wait events.
var probe = await ServerProbe.StartAsync(connectionString);
var profiles = steps.Select(step => new ServerProbe.Accumulator(string.Join(" + ", step.Select(row => $"{row.Mode}-{row.Callers}")))).ToList();
for (var round = 1; round <= options.Rounds; round++)
{
    Console.WriteLine($"  round {round}/{options.Rounds}");
    for (var s = 0; s < steps.Count; s++)
    {
        var measureFrom = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(options.WindowPerRound.TotalSeconds * Stopwatch.Frequency);
        var labels = steps[s].Select(row => row.Application).Distinct().Select((application, i) => (application, label: ((char)('a' + i)).ToString()))
            .ToDictionary(l => l.application, l => l.label);
        var probing = probe.MeasureWindowAsync(profiles[s], labels, measureFrom, stopAt);
        await Task.WhenAll(steps[s].Select(row => row.RunRoundAsync(measureFrom, stopAt)));
        await probing;
    }
}

// Every answered append must be in the table, once.
var stored = await CountStoredAsync(connectionString) - storedBefore;
var answered = rows.Sum(r => r.Answered);
if (stored != answered)
{
    Console.Error.WriteLine($"MISMATCH: {answered:N0} appends answered, {stored:N0} rows stored");
    return 1;
}

var report = new LedgerReport(startedAt, LedgerReport.DescribeMachine(), database, options, [.. rows.Select(r => r.Summarize())],
    [.. steps.Select((step, s) => profiles[s].Summarize(step.Sum(row => row.Appends)))], LoadAverage());
Console.WriteLine();
Console.Write(report.ToTable());
Console.WriteLine($"\n{answered:N0} appends answered, {stored:N0} new rows in budget_ledger: every answered append is stored.");

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
    var host = new NpgsqlConnectionStringBuilder(connectionString).Host;
    return $"PostgreSQL {reader.GetString(0)} at {host} (TCP), fsync={reader.GetString(1)}, " +
        $"synchronous_commit={reader.GetString(2)}, wal_sync_method={reader.GetString(3)}";
}

static string Named(string connectionString, string application) =>
    new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = application }.ConnectionString;

// The 1, 5 and 15 minute load averages at the end of the run: how busy the machine was with other work too.
static string LoadAverage()
{
    try
    {
        return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
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
