using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

/// <summary>A report on a small fixed data set, every number worked out by hand.</summary>
public sealed class ReportBuilderTests
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2026-11-10T09:00:00Z");
    private static readonly DateOnly Date = new(2026, 11, 10);
    private static readonly string[] Monthly = ["monthly"];

    // queue train: 18 jobs of 1 and two of 10 (cpu 80 %, memory 20 %) = 38; queue etl: one plain 7;
    // no queue: alice's two gpt-4o calls of 2 (1.5 + 0.5) and 3 (2 + 1) = 5. Total 50.
    // The day before, one late train job of 100 (outside a report of the 10th only).
    private static readonly SpendFact[] DataSet =
    [
        .. Enumerable.Range(0, 18).Select(_ => Facts.Job(Day, 0.8m, 0.2m, Monthly, ("queue", "train"))),
        Facts.Job(Day, 8m, 2m, Monthly, ("queue", "train")),
        Facts.Job(Day, 8m, 2m, Monthly, ("queue", "train")),
        Facts.Llm(Day, "gpt-4o", 600_000, 50_000, 1.5m, 0.5m, Monthly, ("user", "alice")),
        Facts.Llm(Day, "gpt-4o", 800_000, 100_000, 2m, 1m, Monthly, ("user", "alice")),
        Facts.Plain(Day, 7m, [], ("queue", "etl")),
        Facts.Job(Day.AddDays(-1), 80m, 20m, Monthly, ("queue", "train")),
    ];

    [Fact]
    public void Totals_groups_shares_spread_and_components_are_the_hand_computed_ones()
    {
        var report = Build("queue");

        Assert.Equal(new ReportTotal(50m, 1_550_000m, 23m, 23), report.Total);
        Assert.Equal("EUR", report.Currency);
        Assert.Equal([("train", 38m, 0.76m, 20L), ("etl", 7m, 0.14m, 1L), (null, 5m, 0.1m, 2L)],
            report.Groups.Select(g => (g.Key, g.Cost, g.Share, g.Count)));

        var train = report.Groups[0];
        Assert.Equal(1.9m, train.Avg);
        Assert.Equal(1m, train.Min);
        Assert.Equal(10m, train.Max);
        Assert.InRange(train.P95, 9.9m, 10m); // rank ⌊0.95 × 19⌋ = 18 of the sorted costs is 10; within the sketch's 1 %
        Assert.Equal([KeyValuePair.Create("cpu", 30.4m), KeyValuePair.Create("memory", 7.6m)], train.Components);

        var calls = report.Groups[2];
        Assert.Equal(2.5m, calls.Avg);
        Assert.Equal(2m, calls.Min);
        Assert.Equal(3m, calls.Max);
        Assert.Equal([KeyValuePair.Create("input", 3.5m), KeyValuePair.Create("output", 1.5m)], calls.Components);
        Assert.Equal([KeyValuePair.Create("other", 7m)], report.Groups[1].Components);
        Assert.Equal(report.Groups.ToArray(), report.TopDrivers.ToArray());
    }

    [Fact]
    public void Recommendations_follow_from_the_numbers()
    {
        var alternatives = new FixedAlternatives("gpt-4o-mini", 0.06m);

        var report = Build("queue", alternatives);

        Assert.Equal(3, report.Recommendations.Length);
        // The p95 and the median are the sketch's estimates (within 1 % of 10 and 1): their ratio is 9.8–10.
        Assert.Matches(@"^queue train is 76 % of spend and its p95 job costs (9\.[89]|10\.0)× its median \((9\.9\d|10\.00) against 1\.0\d\): its largest jobs are where to look first\.$",
            report.Recommendations[0]);
        Assert.Equal("10 % of spend (5.00 EUR) has no queue attribute: send queue with each request to see where it goes.", report.Recommendations[1]);
        Assert.Equal("gpt-4o is 100 % of alice's spend; gpt-4o-mini would have cost 0.30 instead of 5.00 EUR for the same tokens.", report.Recommendations[2]);
        Assert.Equal(new LlmTokenCounts(1_400_000, 0, 0, 150_000, 0), alternatives.AskedWith);
    }

    [Fact]
    public void Nothing_is_recommended_where_nothing_stands_out()
    {
        string[] none = [];
        var rows = Facts.Fold("UTC",
            Facts.Plain(Day, 1m, Monthly, ("user", "a")),
            Facts.Plain(Day, 1.1m, Monthly, ("user", "b")),
            Facts.Plain(Day, 0.9m, Monthly, ("user", "c")),
            Facts.Llm(Day, "gpt-4o", 1000, 100, 0.0025m, 0.001m, none, ("user", "d"))); // tiny: under 5 % of spend

        var report = ReportBuilder.Build(Date, Date, "USD", "user", rows, new FixedAlternatives("gpt-4o-mini", 0.06m));

        Assert.Empty(report.Recommendations);
    }

    [Fact]
    public void Top_drivers_are_the_five_largest_groups_and_budget_groups_name_unbudgeted_spend()
    {
        var facts = Enumerable.Range(1, 7).Select(i => Facts.Plain(Day, i, i == 7 ? [] : Monthly, ("user", $"u{i}"))).ToArray();
        var rows = Facts.Fold("UTC", facts);

        var byUser = ReportBuilder.Build(Date, Date, "USD", "user", rows);
        var byBudget = ReportBuilder.Build(Date, Date, "USD", "budget", rows);

        Assert.Equal(["u7", "u6", "u5", "u4", "u3"], byUser.TopDrivers.Select(g => g.Key));
        Assert.Equal(7, byUser.Groups.Length);
        Assert.Equal([("monthly", 21m), (null, 7m)], byBudget.Groups.Select(g => (g.Key, g.Cost)));
        Assert.Equal(0.75m, byBudget.Groups[0].Share);
        Assert.Contains("25 % of spend (7.00 USD) was charged to no budget: nothing limits it; a budget of the whole tenant would.", byBudget.Recommendations);
    }

    [Fact]
    public void The_days_of_the_range_are_counted_and_no_others()
    {
        var rows = Facts.Fold("UTC", DataSet);

        var both = ReportBuilder.Build(Date.AddDays(-1), Date, "EUR", "queue", rows);
        var before = ReportBuilder.Build(Date.AddDays(-5), Date.AddDays(-2), "EUR", "queue", rows);

        Assert.Equal(150m, both.Total.Cost);
        Assert.Equal(21, both.Groups[0].Count);
        Assert.Equal(100m, both.Groups[0].Max);
        Assert.Equal(0m, before.Total.Cost);
        Assert.Empty(before.Groups);
    }

    private static SpendReport Build(string groupBy, IModelAlternatives? alternatives = null) =>
        ReportBuilder.Build(Date, Date, "EUR", groupBy, Facts.Fold("UTC", DataSet), alternatives);

    private sealed class FixedAlternatives(string model, decimal ratio) : IModelAlternatives
    {
        public LlmTokenCounts? AskedWith { get; private set; }

        public ModelAlternative? CheaperThan(string asked, LlmTokenCounts tokens, decimal charged, DateOnly day)
        {
            AskedWith = tokens;
            return asked == "gpt-4o" ? new ModelAlternative(model, Amount.RoundCost(charged * ratio)) : null;
        }
    }
}
