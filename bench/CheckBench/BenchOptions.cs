using System.Globalization;

namespace BudgetActors.CheckBench;

/// <summary>What to measure and for how long; <c>--quick</c> shrinks everything to a smoke run of under a minute.</summary>
/// <param name="JitWarmup">
/// Load on every row, before any row is measured: the rows share most of their code, so without it
/// the first rows measured would pay for tiered JIT compilation that later rows get for free.
/// </param>
/// <param name="Rounds">
/// The measurements are cut into rounds that visit every row in turn, so that a burst of load from
/// another process on a shared machine falls on all rows alike rather than on one.
/// </param>
/// <param name="WarmupCalls">Sequential calls before each round's latency samples.</param>
/// <param name="Note">Quoted at the top of the markdown results (say what machine this was).</param>
/// <param name="Rows">The rows to measure; null for all.</param>
/// <param name="Samples">Latency samples per row, over all rounds.</param>
/// <param name="ThroughputWarmup">Load before each round's throughput window.</param>
/// <param name="ThroughputDuration">Throughput window per row, over all rounds.</param>
public sealed record BenchOptions(
    TimeSpan JitWarmup,
    int Rounds,
    int WarmupCalls,
    int Samples,
    TimeSpan ThroughputWarmup,
    TimeSpan ThroughputDuration,
    int Concurrency,
    string OutputDirectory,
    bool Quick,
    IReadOnlyList<string>? Rows = null,
    string? Note = null,
    bool Metrics = false)
{
    public static readonly BenchOptions Full = new(
        JitWarmup: TimeSpan.FromSeconds(2),
        Rounds: 4,
        WarmupCalls: 5_000,
        Samples: 200_000,
        ThroughputWarmup: TimeSpan.FromSeconds(0.25),
        ThroughputDuration: TimeSpan.FromSeconds(6),
        Concurrency: 64,
        OutputDirectory: "bench/results",
        Quick: false);

    public static readonly BenchOptions QuickRun = Full with
    {
        JitWarmup = TimeSpan.FromSeconds(0.5),
        Rounds = 2,
        WarmupCalls = 2_000,
        Samples = 20_000,
        ThroughputDuration = TimeSpan.FromSeconds(1.5),
        Quick = true,
    };

    public int SamplesPerRound => Math.Max(1, Samples / Rounds);

    public TimeSpan ThroughputPerRound => ThroughputDuration / Rounds;

    public const string Usage = """
        CheckBench: latency and throughput of budget checks against a co-hosted silo.
          --quick               small run (< 1 min): 20k samples, 1.5 s of throughput per row, 2 rounds
          --samples N           sequential latency samples per row (default 200000)
          --duration SECONDS    throughput time per row (default 6)
          --concurrency N       concurrent callers in the throughput run (default 64)
          --rounds N            rounds the samples and time are cut into (default 4)
          --rows a,b            measure only these rows (for profiling one path), e.g. --rows floor,check-1
          --metrics             collect BudgetActors' metrics as the API host does (what recording costs on these paths)
          --note TEXT           a note on the machine or the run, quoted at the top of the markdown
          --out DIR             where to write the JSON and markdown results (default bench/results)
        """;

    /// <summary>Null (after printing why) when the arguments are not understood.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var options = args.Contains("--quick") ? QuickRun : Full;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                options = args[i] switch
                {
                    "--quick" => options,
                    "--samples" => options with { Samples = Positive(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--duration" => options with { ThroughputDuration = TimeSpan.FromSeconds(Positive(double.Parse(Next(), CultureInfo.InvariantCulture))) },
                    "--concurrency" => options with { Concurrency = Positive(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--rounds" => options with { Rounds = Positive(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "--out" => options with { OutputDirectory = Next() },
                    "--note" => options with { Note = Next() },
                    "--metrics" => options with { Metrics = true },
                    "--rows" => options with { Rows = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    "--help" or "-h" => throw new FormatException(""),
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
            catch (FormatException e)
            {
                if (e.Message.Length > 0)
                {
                    Console.Error.WriteLine(e.Message);
                }

                Console.Error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }

    private static T Positive<T>(T value) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new FormatException("values must be positive");
}
