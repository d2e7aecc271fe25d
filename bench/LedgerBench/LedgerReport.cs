using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace BudgetActors.LedgerBench;

/// <summary>A run's rows, and for each number of callers how group commit compares with one row per commit.</summary>
/// <param name="Profiles">Where each step's time went (a step is one row, or the rows measured at the same time).</param>
/// <param name="LoadAverage">/proc/loadavg at the end of the run (1, 5, 15 minutes).</param>
public sealed record LedgerReport(
    DateTimeOffset StartedAt, string Machine, string Database, BenchOptions Options, IReadOnlyList<RowResult> Rows,
    IReadOnlyList<StepProfile> Profiles, string LoadAverage)
{
    public const string GroupCommit = "group-commit";
    public const string OneRowPerCommit = "one-row-per-commit";
    public const string OneWriter = "one-writer";
    public const string TwoWritersA = "two-writers-a";
    public const string TwoWritersB = "two-writers-b";
    public const string SharedA = "shared-tenants-a";
    public const string SharedB = "shared-tenants-b";

    public static string DescribeMachine() =>
        $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC";

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{"mode",-20} {"callers",7} {"appends/s",10} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"entries/tx",10}"));
        foreach (var r in Rows)
        {
            text.AppendLine(Invariant($"{r.Mode,-20} {r.Callers,7} {r.AppendsPerSecond,10:N0} {r.P50Ms,8:F2} {r.P90Ms,8:F2} {r.P99Ms,8:F2} {r.MaxMs,8:F1} {r.EntriesPerTransaction,10:F1}"));
        }

        text.AppendLine();
        text.AppendLine(Invariant($"{"callers",7} {"appends/s ×",12} {"p50 ÷",8} {"p99 ÷",8}   (group commit against one row per commit)"));
        foreach (var (callers, throughput, p50, p99) in Ratios())
        {
            text.AppendLine(Invariant($"{callers,7} {throughput,12:F1} {p50,8:F1} {p99,8:F1}"));
        }

        if (WriterRatios().Any())
        {
            text.AppendLine();
            text.AppendLine(Invariant($"{"callers",7} {"writer a ×",11} {"writer b ×",11}   (each of two writers on different tenants against one writer alone)"));
            foreach (var (callers, a, b) in WriterRatios())
            {
                text.AppendLine(Invariant($"{callers,7} {a,11:F2} {b,11:F2}"));
            }
        }

        if (SharedRatios().Any())
        {
            text.AppendLine();
            text.AppendLine(Invariant($"{"callers",7} {"writer a ×",11} {"writer b ×",11}   (each of two writers on the same tenants against group commit alone)"));
            foreach (var (callers, a, b) in SharedRatios())
            {
                text.AppendLine(Invariant($"{callers,7} {a,11:F2} {b,11:F2}"));
            }
        }

        text.AppendLine();
        text.AppendLine(Invariant($"{"step",-42} {"pg µs/entry",11} {"client µs",9} {"WAL B/entry",11} {"cores: pg",9} {"client",6} {"machine",7}   connections in each state, on average"));
        foreach (var p in Profiles)
        {
            text.AppendLine(Invariant(
                $"{p.Step,-42} {p.ServerCpuUsPerEntry,11:F1} {p.ClientCpuUsPerEntry,9:F1} {p.WalBytesPerEntry,11:N0} {p.ServerCores,9:F2} {p.ClientCores,6:F2} {p.MachineBusyCores,7:F2}   {States(p)}"));
        }

        text.AppendLine(Invariant($"load average at the end: {LoadAverage}"));
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# LedgerBench results").AppendLine();
        if (Options.Note is not null)
        {
            md.AppendLine(Invariant($"> {Options.Note}")).AppendLine();
        }

        md.AppendLine(Invariant($"- run: {StartedAt:u}{(Options.Quick ? " (--quick)" : "")}"));
        md.AppendLine(Invariant($"- machine: {Machine}"));
        md.AppendLine(Invariant($"- database: {Database}"));
        md.Append("- method: each row is a closed loop of N callers, each appending a new entry (3 budgets, 3 attributes, 48-byte ")
            .Append("outcome) and waiting for its durable answer before the next. ")
            .Append(Invariant($"Every row is first put under load for {Options.JitWarmup.TotalSeconds:0.##} s; then {Options.Rounds} round(s) visit every row in turn; each window of {Options.WindowPerRound.TotalSeconds:0.##} s "))
            .Append(Invariant($"follows {Options.Warmup.TotalSeconds:0.##} s of load. Group commit: one ledger, {Options.Writers} writer loop(s), batches of at most {Options.MaxBatchSize}. "))
            .AppendLine("One row per commit: each append its own transaction on its own pooled connection (Npgsql's default pool of 100), " +
                "same SQL, same partition locks.");
        md.AppendLine();
        md.AppendLine("| mode | callers | appends/s | p50 ms | p90 ms | p99 ms | max ms | entries per transaction | appends/s, rounds min–max |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in Rows)
        {
            md.AppendLine(Invariant(
                $"| {r.Mode} | {r.Callers} | {r.AppendsPerSecond:N0} | {r.P50Ms:F2} | {r.P90Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.EntriesPerTransaction:F1} | {r.MinRoundPerSecond:N0}–{r.MaxRoundPerSecond:N0} |"));
        }

        md.AppendLine();
        md.AppendLine("Group commit against one row per commit, same callers, same run:").AppendLine();
        md.AppendLine("| callers | appends/s × | p50 ÷ | p99 ÷ |");
        md.AppendLine("| ---: | ---: | ---: | ---: |");
        foreach (var (callers, throughput, p50, p99) in Ratios())
        {
            md.AppendLine(Invariant($"| {callers} | {throughput:F1} | {p50:F1} | {p99:F1} |"));
        }

        if (WriterRatios().Any())
        {
            md.AppendLine();
            md.AppendLine("Two writers on different tenants (two ledgers, as two silos have, each with the callers of one writer, at the same time) " +
                "against one writer alone, same run; 1.00 means the second writer costs the first nothing:").AppendLine();
            md.AppendLine("| callers per writer | writer a × one writer | writer b × one writer |");
            md.AppendLine("| ---: | ---: | ---: |");
            foreach (var (callers, a, b) in WriterRatios())
            {
                md.AppendLine(Invariant($"| {callers} | {a:F2} | {b:F2} |"));
            }
        }

        if (SharedRatios().Any())
        {
            md.AppendLine();
            md.AppendLine("Two writers on the same eight tenants (two ledgers, as two silos that both host grains of every tenant, each with the callers of " +
                "the group-commit row, at the same time) against the group-commit row alone, same run; their batches carry the same partitions:").AppendLine();
            md.AppendLine("| callers per writer | writer a × group commit | writer b × group commit |");
            md.AppendLine("| ---: | ---: | ---: |");
            foreach (var (callers, a, b) in SharedRatios())
            {
                md.AppendLine(Invariant($"| {callers} | {a:F2} | {b:F2} |"));
            }
        }

        md.AppendLine();
        md.AppendLine("Where the time went, per step (the rows measured together), over its measuring windows: CPU of the PostgreSQL server " +
            "(postmaster, backends, WAL writer, checkpointer; /proc) and of this process (callers, ledger, Npgsql) per answered append; " +
            "WAL per append; cores busy on average — PostgreSQL, this process, and the whole machine (other work included); and what " +
            Invariant($"the ledger's connections were doing, sampled every {ServerProbe.SampleEvery.TotalMilliseconds:0} ms from pg_stat_activity ") +
            "(how many of the step's connections were in each state on average — idle: waiting for the client's next batch, or unused in the pool; " +
            "running: on a CPU or waiting for one; otherwise the wait event; a writer loop whose batch is always in the server adds 1):").AppendLine();
        md.AppendLine("| step | PostgreSQL CPU µs per append | client CPU µs per append | WAL bytes per append | cores: PostgreSQL | cores: client | cores: machine | connections' states |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var p in Profiles)
        {
            md.AppendLine(Invariant(
                $"| {p.Step} | {p.ServerCpuUsPerEntry:F1} | {p.ClientCpuUsPerEntry:F1} | {p.WalBytesPerEntry:N0} | {p.ServerCores:F2} | {p.ClientCores:F2} | {p.MachineBusyCores:F2} | {States(p)} |"));
        }

        md.AppendLine().AppendLine(Invariant($"Load average at the end of the run: {LoadAverage}."));
        return md.ToString();
    }

    // The states that held at least 0.01 connections on average, most frequent first.
    private static string States(StepProfile p) =>
        string.Join(", ", p.BackendStates.Where(s => s.Value >= 0.01).Select(s => Invariant($"{s.Key} {s.Value:0.00}")));

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    });

    // appends/s of each of the two concurrent writers ÷ that of one writer alone.
    private IEnumerable<(int Callers, double A, double B)> WriterRatios() =>
        from one in Rows
        where one.Mode == OneWriter
        join a in Rows.Where(r => r.Mode == TwoWritersA) on one.Callers equals a.Callers
        join b in Rows.Where(r => r.Mode == TwoWritersB) on one.Callers equals b.Callers
        select (one.Callers, a.AppendsPerSecond / one.AppendsPerSecond, b.AppendsPerSecond / one.AppendsPerSecond);

    // appends/s of each of two writers on the same tenants ÷ that of the group-commit row (one writer on those tenants).
    private IEnumerable<(int Callers, double A, double B)> SharedRatios() =>
        from one in Rows
        where one.Mode == GroupCommit
        join a in Rows.Where(r => r.Mode == SharedA) on one.Callers equals a.Callers
        join b in Rows.Where(r => r.Mode == SharedB) on one.Callers equals b.Callers
        select (one.Callers, a.AppendsPerSecond / one.AppendsPerSecond, b.AppendsPerSecond / one.AppendsPerSecond);

    // appends/s of group commit ÷ that of one row per commit; latencies of one row per commit ÷ those of group commit.
    private IEnumerable<(int Callers, double Throughput, double P50, double P99)> Ratios() =>
        from g in Rows
        where g.Mode == GroupCommit
        join o in Rows.Where(r => r.Mode == OneRowPerCommit) on g.Callers equals o.Callers
        select (g.Callers, g.AppendsPerSecond / o.AppendsPerSecond, o.P50Ms / g.P50Ms, o.P99Ms / g.P99Ms);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
