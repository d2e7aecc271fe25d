namespace BudgetActors.Domain.Tests;

/// <summary>The census behind the budget gauges: states, cumulative bands, and a bounded top.</summary>
public sealed class UtilizationCensusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Bands_are_cumulative_and_a_utilization_on_a_bound_counts_in_that_band()
    {
        var census = new UtilizationCensus(topSize: 0);
        foreach (var utilization in new[] { 0m, 0.25m, 0.2500001m, 0.75m, 1m, 1.0000001m, 1.5m, 7m })
        {
            census.Add("t", $"b{utilization}", utilization, BudgetState.Ok);
        }

        var bounds = UtilizationCensus.Bounds;
        Assert.Equal([0.25m, 0.5m, 0.75m, 0.9m, 1m, 1.1m, 1.5m], bounds);
        Assert.Equal([2, 3, 4, 4, 5, 6, 7, 8], Enumerable.Range(0, bounds.Count + 1).Select(census.AtMost));
        Assert.Equal(8, census.Count);
        Assert.Empty(census.Top);
    }

    [Fact]
    public void States_and_utilization_come_from_spend_plus_holds_against_the_limits_in_force()
    {
        var census = new UtilizationCensus(topSize: 5);
        var warned = new BudgetAccount(Budgets.Define("warned", cost: 100m, tokens: 1000), Now, Now);
        warned.Charge(new Amount(10m, 800, 1)); // tokens lead: 0.8
        var blocked = new BudgetAccount(Budgets.Define("blocked", cost: 10m), Now, Now);
        blocked.Charge(Budgets.Cost(12m));
        var unlimited = new BudgetAccount(Budgets.Define("ops", operations: 100), Now, Now);

        census.Add("acme", "warned", warned.Facts());
        census.Add("acme", "blocked", blocked.Facts());
        census.Add("acme", "ops", unlimited.Facts());

        Assert.Equal((1, 1, 0, 1), (census.InState(BudgetState.Ok), census.InState(BudgetState.Warning),
            census.InState(BudgetState.Throttled), census.InState(BudgetState.Blocked)));
        Assert.Equal(
            [new("acme", "blocked", 1.2m), new("acme", "warned", 0.8m), new UtilizationCensus.Ranked("acme", "ops", 0m)],
            census.Top);
    }

    [Fact]
    public void The_top_keeps_only_the_most_utilized_with_ties_to_the_smaller_ids()
    {
        var census = new UtilizationCensus(topSize: 3);
        census.Add("t2", "a", 0.9m, BudgetState.Throttled);
        census.Add("t1", "z", 0.5m, BudgetState.Ok);
        census.Add("t1", "b", 0.9m, BudgetState.Throttled);
        census.Add("t1", "a", 0.9m, BudgetState.Throttled);
        census.Add("t9", "x", 0.1m, BudgetState.Ok);
        census.Add("t0", "c", 0.95m, BudgetState.Throttled);

        Assert.Equal(
            [new("t0", "c", 0.95m), new("t1", "a", 0.9m), new UtilizationCensus.Ranked("t1", "b", 0.9m)],
            census.Top);
        Assert.Equal(6, census.Count);
    }

    [Fact]
    public void A_negative_top_size_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UtilizationCensus(-1));
    }
}
