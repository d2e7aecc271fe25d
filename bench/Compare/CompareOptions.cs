using System.Globalization;

namespace BudgetActors.Compare;

/// <summary>What to run and for how long; <c>--quick</c> is the run of about four minutes, the default the full one of under twenty.</summary>
/// <param name="Rounds">
/// The measuring time is cut into rounds that visit every row in turn, so that a burst of load from
/// another process on this shared machine falls on all rows alike rather than on one.
/// </param>
/// <param name="JitWarmupSeconds">
/// Load on every row once before any is measured: the rows of one server share most of its code, so
/// without it the first rows measured would pay for tiered JIT compilation that later rows get free.
/// </param>
/// <param name="WarmupSeconds">
/// Load on a row before each of its windows (connections, pools, caches); not measured. None in the
/// quick run, whose one round comes right after the JIT warm-up of every row.
/// </param>
/// <param name="WindowSeconds">Measuring time of a row in each round (wrk takes whole seconds).</param>
/// <param name="MemoryBudgets">Budgets activated for the memory probe.</param>
/// <param name="MemoryDeadlineSeconds">The memory probe stops activating then, however many it has: the run has a time budget.</param>
/// <param name="FailoverRounds">Kills of a silo under load, one per round (silo r mod 2 in round r; started again after).</param>
/// <param name="FailoverCallers">HTTP callers of the failover row.</param>
/// <param name="FailoverSettings">
/// Configuration for the failover row's silos and API host, as environment variables
/// (<c>--failover-setting Orleans__Membership__ProbeTimeout=00:00:05</c>): to measure other settings than the shipped ones.
/// </param>
/// <param name="Parts">The parts to run: <see cref="AllParts"/> by default.</param>
/// <param name="OutputDirectory">Where BENCHMARKS.md and benchmarks.json go, relative to the repository root.</param>
public sealed record CompareOptions(
    bool Quick,
    int Rounds,
    int JitWarmupSeconds,
    int WarmupSeconds,
    int WindowSeconds,
    int HttpConnections,
    int DurableConnections,
    int ClientCallers,
    int WrkThreads,
    int MemoryBudgets,
    int MemoryDeadlineSeconds,
    int FailoverRounds,
    int FailoverCallers,
    IReadOnlyDictionary<string, string> FailoverSettings,
    IReadOnlyList<string> Parts,
    string? OutputDirectory,
    string? Note)
{
    public const string Network = "network";
    public const string CheckBench = "checkbench";
    public const string LedgerBench = "ledgerbench";
    public const string Memory = "memory";
    public const string Failover = "failover";
    public static readonly IReadOnlyList<string> AllParts = [Network, CheckBench, LedgerBench, Failover, Memory];

    public static readonly CompareOptions Full = new(
        Quick: false, Rounds: 3, JitWarmupSeconds: 3, WarmupSeconds: 2, WindowSeconds: 8,
        HttpConnections: 32, DurableConnections: 64, ClientCallers: 32, WrkThreads: 2,
        MemoryBudgets: 1_000_000, MemoryDeadlineSeconds: 300, FailoverRounds: 2, FailoverCallers: 24, FailoverSettings: new Dictionary<string, string>(),
        Parts: AllParts, OutputDirectory: null, Note: null);

    public static readonly CompareOptions QuickRun = Full with { Quick = true, Rounds = 1, JitWarmupSeconds = 2, WarmupSeconds = 0, WindowSeconds = 3, MemoryBudgets = 100_000, MemoryDeadlineSeconds = 15, FailoverRounds = 1 };

    public bool Runs(string part) => Parts.Contains(part);

    /// <summary>A run of only some parts writes to its own results directory unless told otherwise, so that it never replaces the full document.</summary>
    public bool Partial => Parts.Count < AllParts.Count;

    public const string Usage = """
        bench/Compare: every row of issue 8 against its baselines, in one run; writes docs/BENCHMARKS.md and docs/benchmarks.json.
        Run it through bench/compare.sh, which installs wrk and redis-server and builds Release first.
          --quick               the short run (about 4 min): 1 round of 3 s per row, up to 100,000 budgets for memory, one kill,
                                CheckBench without its grain-check-3 row
          --jit-warmup SECONDS  load on every row once before any is measured (default 3; 2 with --quick)
          --rounds N            rounds (default 3)
          --duration SECONDS    measuring time per row per round (default 8)
          --warmup SECONDS      load before each measuring window (default 2; 0 with --quick)
          --memory-budgets N    budgets activated for the memory probe (default 1,000,000)
          --memory-deadline S   the probe stops activating after S seconds, however many it has (default 300; 15 with --quick)
          --failover-rounds N   kills of a silo under load for the failover row, one per round (default 2; 1 with --quick)
          --failover-setting NAME=VALUE
                                configuration for the failover row's silos and API host, as an environment variable
                                (e.g. Orleans__Membership__ProbeTimeout=00:00:05); repeat for more
          --only a,b            run only these parts: network, checkbench, ledgerbench, failover, memory
                                (written to bench/results/compare-<time>/ unless --out is given)
          --note TEXT           quoted at the top of the document
          --out DIR             where the document and JSON go (default docs), relative to the repository root
        """;

    public static CompareOptions? Parse(string[] args)
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
                    "--rounds" => options with { Rounds = Positive(Next()) },
                    "--duration" => options with { WindowSeconds = Positive(Next()) },
                    "--warmup" => options with { WarmupSeconds = Positive(Next(), allowZero: true) },
                    "--jit-warmup" => options with { JitWarmupSeconds = Positive(Next()) },
                    "--memory-budgets" => options with { MemoryBudgets = Positive(Next()) },
                    "--memory-deadline" => options with { MemoryDeadlineSeconds = Positive(Next()) },
                    "--failover-rounds" => options with { FailoverRounds = Positive(Next()) },
                    "--failover-setting" => options with { FailoverSettings = With(options.FailoverSettings, Next()) },
                    "--only" => options with { Parts = Known(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) },
                    "--note" => options with { Note = Next() },
                    "--out" => options with { OutputDirectory = Next() },
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

    private static int Positive(string text, bool allowZero = false) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value > 0 || (allowZero && value == 0))
            ? value
            : throw new FormatException($"{text} is not a {(allowZero ? "" : "positive ")}whole number");

    private static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> settings, string setting) =>
        setting.Split('=', 2) is [{ Length: > 0 } name, var value]
            ? new Dictionary<string, string>(settings) { [name] = value }
            : throw new FormatException($"{setting} is not NAME=VALUE");

    private static IReadOnlyList<string> Known(string[] parts) =>
        parts.Except(AllParts).ToList() is { Count: > 0 } unknown
            ? throw new FormatException($"unknown parts: {string.Join(", ", unknown)}; parts are {string.Join(", ", AllParts)}")
            : parts;
}
