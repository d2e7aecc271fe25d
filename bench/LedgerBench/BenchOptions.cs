using System.Globalization;

namespace BudgetActors.LedgerBench;

/// <summary>What to measure and for how long; <c>--quick</c> is a smoke run of well under 30 s.</summary>
/// <param name="Concurrency">The numbers of concurrent callers; every mode is measured with each.</param>
/// <param name="SharedTenants">
/// Also measure two writers (two ledgers, as two silos have) at the same time on the <em>same</em>
/// eight tenants, each with as many callers as the group-commit row: as silos that each host grains
/// of every tenant, whose batches carry the same partitions and so take turns for their locks.
/// </param>
/// <param name="Rounds">
/// The measuring time is cut into rounds that visit every row in turn, so that a burst of load from
/// another process on a shared machine falls on all rows alike.
/// </param>
/// <param name="Warmup">Load on a row before each of its windows (connections open, JIT settled, batches at their size).</param>
/// <param name="JitWarmup">
/// Load on every row once before the first round: without it the first row measured pays for the
/// JIT compilation and connection opening that the rows after it get free.
/// </param>
/// <param name="Duration">Measuring time per row, over all rounds.</param>
/// <param name="TwoWriters">
/// Also measure one group-commit writer on one tenant against two writers (two ledgers, as two silos
/// have) on two other tenants at the same time: whether writers of different tenants wait for each other.
/// </param>
/// <param name="Connection">
/// An Npgsql connection string of a database that has the schema (scripts/sql/apply.sh) to measure
/// instead of a private server: a server with pg_stat_statements, other settings, or other hardware.
/// Its server's CPU is read from /proc when it runs on this machine.
/// </param>
/// <param name="CostSizes">
/// <c>--cost 1,16,128,512</c>: instead of the closed-loop rows, what a batch of each size costs
/// written one after another on one connection (<see cref="BatchCost"/>), for <see cref="Duration"/>
/// per size.
/// </param>
/// <param name="Baseline">Measure one row per commit too (<c>--no-baseline</c> leaves it out, for profiling group commit alone).</param>
public sealed record BenchOptions(
    IReadOnlyList<int> Concurrency,
    int Rounds,
    TimeSpan Warmup,
    TimeSpan Duration,
    int MaxBatchSize,
    int Writers,
    bool Quick,
    string? Note,
    string OutputDirectory,
    bool TwoWriters = false,
    bool SharedTenants = false,
    TimeSpan JitWarmup = default,
    string? Connection = null,
    bool Baseline = true,
    IReadOnlyList<int>? CostSizes = null)
{
    public const string Usage =
        "usage: LedgerBench [--quick] [--concurrency 64,256] [--rounds 3] [--duration 9] [--max-batch 512] [--writers 2] [--two-writers] [--shared-tenants] " +
        "[--no-baseline] [--cost 1,16,128,512] [--connection NPGSQL] [--note TEXT] [--out DIR]  (bench/README.md)";

    public TimeSpan WindowPerRound => Duration / Rounds;

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions([64, 256], Rounds: 3, Warmup: TimeSpan.FromSeconds(0.75), Duration: TimeSpan.FromSeconds(9),
            MaxBatchSize: 512, Writers: new BudgetActors.Grains.Ledger.LedgerOptions().Writers, Quick: false, Note: null,
            OutputDirectory: "bench/results", JitWarmup: TimeSpan.FromSeconds(2));
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                options = args[i] switch
                {
                    "--quick" => options with { Rounds = 1, Warmup = TimeSpan.FromSeconds(0.4), Duration = TimeSpan.FromSeconds(1.5), JitWarmup = TimeSpan.FromSeconds(1), Quick = true },
                    "--concurrency" => options with { Concurrency = [.. Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
                    "--rounds" => options with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--max-batch" => options with { MaxBatchSize = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--two-writers" => options with { TwoWriters = true },
                    "--shared-tenants" => options with { SharedTenants = true },
                    "--writers" => options with { Writers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--note" => options with { Note = Next() },
                    "--connection" => options with { Connection = Next() },
                    "--no-baseline" => options with { Baseline = false },
                    "--cost" => options with { CostSizes = [.. Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
                    "--out" => options with { OutputDirectory = Next() },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine(error.Message);
                Console.Error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }
}
