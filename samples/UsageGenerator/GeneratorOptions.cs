using System.Globalization;

namespace BudgetActors.UsageGenerator;

/// <summary>Where the host is, whose usage to write and how much of it.</summary>
public sealed record GeneratorOptions
{
    public required string Key { get; init; }
    public Uri Url { get; init; } = new("http://127.0.0.1:5080");
    public string Tenant { get; init; } = "acme";
    public int Days { get; init; } = 30;
    public double Scale { get; init; } = 1.0;
    public int Seed { get; init; } = 7;
    public int Parallel { get; init; } = 8;

    public const string Usage = """
        UsageGenerator: writes days of realistic LLM and job usage with back-dated timestamps to a running API host.
          --key KEY        a service or tenant-admin key of the tenant (required; env BUDGET_KEY)
          --url URL        the API host (default http://127.0.0.1:5080)
          --tenant ID      the tenant (default acme; it must exist)
          --days N         days of history up to now, 1–366 (default 30)
          --scale X        multiplies the number of calls and jobs per day (default 1.0: about 120 a day)
          --seed N         seed of the simulated usage (default 7); the same seed writes the same usage, and a
                           second run is answered as duplicates (idempotency keys), counted once
          --parallel N     requests in flight at once (default 8)
        """;

    /// <summary>Null (after printing why) when the arguments are not understood.</summary>
    public static GeneratorOptions? Parse(string[] args)
    {
        var options = new GeneratorOptions { Key = Environment.GetEnvironmentVariable("BUDGET_KEY") ?? "" };
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                int Int() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                options = args[i] switch
                {
                    "--key" => options with { Key = Next() },
                    "--url" => options with { Url = new Uri(Next()) },
                    "--tenant" => options with { Tenant = Next() },
                    "--days" => options with { Days = Int() },
                    "--scale" => options with { Scale = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture) },
                    "--seed" => options with { Seed = Int() },
                    "--parallel" => options with { Parallel = Int() },
                    "--help" or "-h" => throw new HelpRequested(),
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }

            if (options.Key.Length == 0)
            {
                throw new FormatException("--key is required (or BUDGET_KEY)");
            }

            if (options.Days is < 1 or > 366 || options.Scale <= 0 || options.Parallel < 1)
            {
                throw new FormatException("--days is 1–366, --scale above 0, --parallel at least 1");
            }
        }
        catch (HelpRequested)
        {
            Console.WriteLine(Usage);
            return null;
        }
        catch (Exception e) when (e is FormatException or UriFormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return null;
        }

        return options;
    }

    private sealed class HelpRequested : Exception;
}
