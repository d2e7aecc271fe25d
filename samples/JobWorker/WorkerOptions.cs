using System.Globalization;

namespace BudgetActors.JobWorker;

/// <summary>What the worker runs and where the cluster is. Every option has a default except the tenant.</summary>
public sealed record WorkerOptions
{
    public required string Tenant { get; init; }
    public int Jobs { get; init; } = 20;
    public string User { get; init; } = "alice";
    public string Queue { get; init; } = "batch";
    public decimal EstimateCost { get; init; } = 0.50m;
    public TimeSpan Work { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(2);
    public int FailEvery { get; init; } = 7;
    public int Retries { get; init; }
    public int Seed { get; init; } = 42;
    public string RunId { get; init; } = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    public int GatewayPort { get; init; } = 30000;
    public string ClusterId { get; init; } = "budget-actors";
    public string ServiceId { get; init; } = "budget-actors";

    public const string Usage = """
        JobWorker: runs simulated jobs under budgets, calling the BudgetActors cluster directly.
          --tenant ID            the tenant (required; it and its budgets must exist)
          --jobs N               jobs to run (default 20)
          --user NAME            attribute user of every job (default alice)
          --queue NAME           attribute queue of every job (default batch)
          --estimate COST        cost reserved per job (default 0.50)
          --work-ms N            how long a job works (default 100)
          --ttl-seconds N        how long a reservation holds if the worker dies (default 120)
          --fail-every N         every Nth job throws during its work and releases its hold (default 7; 0: never)
          --retries N            on a refusal, back off and retry the job N times before stopping (default 0: stop at once)
          --seed N               seed of the simulated actual costs (default 42)
          --run-id ID            prefix of the idempotency keys (default: the start time); the same run id
                                 replays the same jobs, and the cluster counts each of them once
          --gateway-port N       gateway port of a silo (default 30000; env Orleans__GatewayPort)
          --cluster-id ID        (default budget-actors; env Orleans__ClusterId)
          --service-id ID        (default budget-actors; env Orleans__ServiceId)
        """;

    /// <summary>Null (after printing why) when the arguments are not understood.</summary>
    public static WorkerOptions? Parse(string[] args)
    {
        string? tenant = null;
        var options = new WorkerOptions { Tenant = "" };
        options = options with
        {
            GatewayPort = int.TryParse(Environment.GetEnvironmentVariable("Orleans__GatewayPort"), out var port) ? port : options.GatewayPort,
            ClusterId = Environment.GetEnvironmentVariable("Orleans__ClusterId") ?? options.ClusterId,
            ServiceId = Environment.GetEnvironmentVariable("Orleans__ServiceId") ?? options.ServiceId,
        };

        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                int Int() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--tenant": tenant = Next(); break;
                    case "--jobs": options = options with { Jobs = Int() }; break;
                    case "--user": options = options with { User = Next() }; break;
                    case "--queue": options = options with { Queue = Next() }; break;
                    case "--estimate": options = options with { EstimateCost = decimal.Parse(Next(), NumberStyles.Number, CultureInfo.InvariantCulture) }; break;
                    case "--work-ms": options = options with { Work = TimeSpan.FromMilliseconds(Int()) }; break;
                    case "--ttl-seconds": options = options with { Ttl = TimeSpan.FromSeconds(Int()) }; break;
                    case "--fail-every": options = options with { FailEvery = Int() }; break;
                    case "--retries": options = options with { Retries = Int() }; break;
                    case "--seed": options = options with { Seed = Int() }; break;
                    case "--run-id": options = options with { RunId = Next() }; break;
                    case "--gateway-port": options = options with { GatewayPort = Int() }; break;
                    case "--cluster-id": options = options with { ClusterId = Next() }; break;
                    case "--service-id": options = options with { ServiceId = Next() }; break;
                    case "--help" or "-h": Console.WriteLine(Usage); return null;
                    default: throw new FormatException($"unknown option {args[i]}");
                }
            }

            if (tenant is null)
            {
                throw new FormatException("--tenant is required");
            }

            if (options.Jobs < 0 || options.EstimateCost < 0 || options.FailEvery < 0 || options.Retries < 0 || options.Ttl <= TimeSpan.Zero)
            {
                throw new FormatException("counts, the estimate and the ttl must not be negative");
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return null;
        }

        return options with { Tenant = tenant };
    }
}
