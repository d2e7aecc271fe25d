using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

public sealed class SpendFolderTests
{
    private static readonly string[] Monthly = ["monthly"];

    [Theory]
    [InlineData("2026-03-28T22:59:00Z", "2026-03-28")] // 23:59 CET
    [InlineData("2026-03-28T23:00:00Z", "2026-03-29")] // 00:00 CET: the short day begins
    [InlineData("2026-03-29T01:30:00Z", "2026-03-29")] // 03:30 CEST, after 02:00 was skipped
    [InlineData("2026-10-24T21:59:00Z", "2026-10-24")] // 23:59 CEST
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25")] // 02:30 CEST, before the clocks go back
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25")] // 02:30 CET, the same local hour again
    [InlineData("2026-10-25T22:59:00Z", "2026-10-25")] // 23:59 CET: the 25-hour day ends
    [InlineData("2026-11-30T23:30:00Z", "2026-12-01")] // the month ends earlier in Paris than in UTC
    [InlineData("2026-12-31T23:00:00Z", "2027-01-01")] // and the year
    public void A_charge_counts_on_the_date_of_its_time_in_the_tenants_zone(string at, string day)
    {
        Assert.Equal(DateOnly.Parse(day), SpendFolder.DayOf(DateTimeOffset.Parse(at), "Europe/Paris"));
    }

    [Fact]
    public void A_charge_is_folded_for_the_tenant_and_each_budget_into_each_dimension()
    {
        var at = DateTimeOffset.Parse("2026-11-10T12:00:00Z");
        var rows = Facts.Fold("UTC", Facts.Llm(at, "gpt-4o", 1000, 100, 0.0025m, 0.001m, ["monthly", "alice-daily"], ("user", "alice"), ("project", "p1")));

        var day = new DateOnly(2026, 11, 10);
        string[] expected =
        [
            "|total|", "|queue|", "|model|gpt-4o", "|user|alice", "|project|p1", "|budget|monthly", "|budget|alice-daily", "|user-model|alice|gpt-4o",
            "monthly|total|", "monthly|queue|", "monthly|model|gpt-4o", "monthly|user|alice", "monthly|project|p1",
            "alice-daily|total|", "alice-daily|queue|", "alice-daily|model|gpt-4o", "alice-daily|user|alice", "alice-daily|project|p1",
        ];
        Assert.Equal(expected.Order(), rows.Keys.Select(k => $"{k.BudgetId}|{k.Dimension}|{k.Value}").Order());
        Assert.All(rows, r =>
        {
            Assert.Equal(day, r.Key.Day);
            Assert.Equal(1, r.Value.Count);
            Assert.Equal(0.0035m, r.Value.Cost);
            Assert.Equal(1100m, r.Value.Tokens);
        });
    }

    [Fact]
    public void Late_usage_lands_in_its_own_day_and_unbudgeted_spend_under_no_budget()
    {
        var now = DateTimeOffset.Parse("2026-11-10T12:00:00Z");
        var rows = Facts.Fold("UTC",
            Facts.Plain(now, 1m, Monthly),
            Facts.Plain(now.AddDays(-3), 2m, Monthly), // back-dated three days
            Facts.Plain(now, 4m, []));

        Assert.Equal(5m, rows[new AggregateKey("acme", "", "total", "", new DateOnly(2026, 11, 10))].Cost);
        Assert.Equal(2m, rows[new AggregateKey("acme", "", "total", "", new DateOnly(2026, 11, 7))].Cost);
        Assert.Equal(2m, rows[new AggregateKey("acme", "monthly", "total", "", new DateOnly(2026, 11, 7))].Cost);
        Assert.Equal(4m, rows[new AggregateKey("acme", "", "budget", "", new DateOnly(2026, 11, 10))].Cost);
        Assert.Equal(1m, rows[new AggregateKey("acme", "", "budget", "monthly", new DateOnly(2026, 11, 10))].Cost);
    }

    [Fact]
    public void Aggregates_equal_the_charges_to_the_micro_unit_and_merge_like_one_fold()
    {
        var random = new Random(3);
        var start = DateTimeOffset.Parse("2026-10-01T00:00:00Z");
        var facts = Enumerable.Range(0, 3_000).Select(i =>
        {
            var at = start.AddMinutes(random.Next(0, 60 * 24 * 45));
            return (i % 3) switch
            {
                0 => Facts.Job(at, random.Next(1, 9_999_999) / 1_000_000m, random.Next(0, 99_999) / 1_000_000m, Monthly, ("queue", $"q{i % 4}")),
                1 => Facts.Llm(at, "gpt-4o", random.Next(1, 10_000), random.Next(1, 2_000), random.Next(1, 99_999) / 1_000_000m, random.Next(1, 99_999) / 1_000_000m, Monthly, ("user", $"u{i % 5}")),
                _ => Facts.Plain(at, random.Next(0, 5_000_000) / 1_000_000m, i % 2 == 0 ? Monthly : []),
            };
        }).ToArray();

        var whole = Facts.Fold("America/New_York", facts);
        var halves = Facts.Fold("America/New_York", facts[..1_500]);
        foreach (var (key, aggregate) in Facts.Fold("America/New_York", facts[1_500..]))
        {
            if (halves.TryGetValue(key, out var first))
            {
                first.Merge(aggregate);
            }
            else
            {
                halves[key] = aggregate;
            }
        }

        var total = whole.Where(r => r.Key.BudgetId == "" && r.Key.Dimension == "total").Sum(r => r.Value.Cost);
        Assert.Equal(facts.Sum(f => f.Amount.Cost), total);
        Assert.Equal(facts.Where(f => f.BudgetIds.Length > 0).Sum(f => f.Amount.Cost),
            whole.Where(r => r.Key.BudgetId == "monthly" && r.Key.Dimension == "total").Sum(r => r.Value.Cost));
        Assert.Equal(facts.Length, whole.Where(r => r.Key.BudgetId == "" && r.Key.Dimension == "queue").Sum(r => r.Value.Count));
        Assert.All(whole, r => Assert.Equal(r.Value.Cost, r.Value.Components.Sum()));
        Assert.Equal(whole.Count, halves.Count);
        Assert.All(whole, r =>
        {
            var other = halves[r.Key];
            Assert.Equal((r.Value.Count, r.Value.Cost, r.Value.Tokens, r.Value.MinCost, r.Value.MaxCost), (other.Count, other.Cost, other.Tokens, other.MinCost, other.MaxCost));
            Assert.Equal(r.Value.Sketch.ToText(), other.Sketch.ToText());
            Assert.Equal(r.Value.Components, other.Components);
        });
    }
}
