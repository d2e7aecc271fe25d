using System.Globalization;

namespace BudgetActors.UsageGenerator;

/// <summary>One usage to record: its idempotency key and its JSON body.</summary>
public sealed record PlannedUsage(string Key, string Body);

/// <summary>
/// A month of a small team's spend, day by day: three people calling LLMs (alice mostly on gpt-4o,
/// bob on gpt-4o-mini, carol on claude-sonnet-4-5), fewer calls at weekends and a little more each
/// week; jobs on two queues — etl, many small and steady, and ml-training, few and heavy-tailed (a
/// large job every few days) — in production and staging. Deterministic for a seed, so the same
/// run writes the same usage under the same keys.
/// </summary>
public static class UsagePlan
{
    private static readonly (string User, string Model, string Project, int PerDay, int Input, int Output, int Cached)[] Callers =
    [
        ("alice", "gpt-4o", "search", 30, 2_400, 600, 300),
        ("bob", "gpt-4o-mini", "support", 40, 1_500, 400, 0),
        ("carol", "claude-sonnet-4-5", "search", 15, 3_000, 900, 1_000),
    ];

    public static IEnumerable<PlannedUsage> For(GeneratorOptions options, DateTimeOffset now)
    {
        var random = new Random(options.Seed);
        var firstDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - options.Days);
        for (var d = 0; d < options.Days; d++)
        {
            var day = firstDay.AddDays(d);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var growth = 1.0 + 0.02 * d; // a little busier every day
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

            foreach (var caller in Callers)
            {
                var calls = Count(caller.PerDay * growth * (weekend ? 0.25 : 1.0) * options.Scale, random);
                for (var i = 0; i < calls; i++)
                {
                    var input = (int)(caller.Input * LogNormal(random, 0.6));
                    var output = (int)(caller.Output * LogNormal(random, 0.5));
                    var cached = Math.Min(input, (int)(caller.Cached * random.NextDouble() * 2));
                    var body = $$"""
                        { "idempotencyKey": "{{Key(options, day, caller.User, i)}}", "timestamp": "{{At(start, random, now)}}",
                          "attributes": { "user": "{{caller.User}}", "project": "{{caller.Project}}", "model": "{{caller.Model}}" },
                          "llmUsage": { "model": "{{caller.Model}}", "inputTokens": {{input}}, "outputTokens": {{output}}, "cachedInputTokens": {{cached}} } }
                        """;
                    yield return new PlannedUsage(Key(options, day, caller.User, i), body);
                }
            }

            var etl = Count(20 * growth * options.Scale, random);
            for (var i = 0; i < etl; i++)
            {
                yield return Job(options, day, "etl", i, start, now, random, cpu: 120 * LogNormal(random, 0.3), memory: 512, payload: 200_000, ops: 40, environment: "production");
            }

            // ml-training: a few jobs a day, one of them large every third day or so.
            var training = Count(3 * options.Scale, random);
            for (var i = 0; i < training; i++)
            {
                var large = random.NextDouble() < 0.12;
                yield return Job(options, day, "ml-training", i, start, now, random, cpu: (large ? 36_000 : 2_400) * LogNormal(random, 0.4),
                    memory: large ? 16_384 : 4_096, payload: 5_000_000, ops: 500, environment: i % 4 == 3 ? "staging" : "production");
            }
        }
    }

    private static PlannedUsage Job(GeneratorOptions options, DateOnly day, string queue, int i, DateTimeOffset start, DateTimeOffset now, Random random,
        double cpu, int memory, long payload, int ops, string environment)
    {
        var cpuSeconds = Math.Round(cpu, 1);
        var body = $$"""
            { "idempotencyKey": "{{Key(options, day, queue, i)}}", "timestamp": "{{At(start, random, now)}}",
              "attributes": { "queue": "{{queue}}", "environment": "{{environment}}", "project": "{{(queue == "etl" ? "warehouse" : "search")}}" },
              "jobUsage": { "cpuSeconds": {{cpuSeconds.ToString(CultureInfo.InvariantCulture)}}, "memoryMbSeconds": {{(cpuSeconds * memory).ToString("0.#", CultureInfo.InvariantCulture)}},
                            "payloadBytes": {{payload}}, "ops": {{ops}}, "networkBytes": {{payload * 2}} } }
            """;
        return new PlannedUsage(Key(options, day, queue, i), body);
    }

    private static string Key(GeneratorOptions options, DateOnly day, string who, int i) =>
        $"gen-{options.Seed}-{day:yyyyMMdd}-{who}-{i}";

    // Working hours of the day; today's usage no later than now (the host refuses timestamps in the future).
    private static string At(DateTimeOffset dayStart, Random random, DateTimeOffset now)
    {
        var at = dayStart + TimeSpan.FromSeconds(random.Next(8 * 3600, 20 * 3600));
        return (at < now ? at : now.AddSeconds(-random.Next(1, 600))).ToString("O", CultureInfo.InvariantCulture);
    }

    private static int Count(double mean, Random random) => Math.Max(0, (int)Math.Round(mean * (0.8 + 0.4 * random.NextDouble())));

    private static double LogNormal(Random random, double sigma) =>
        Math.Exp(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) - sigma * sigma / 2);
}
