using System.Collections.Immutable;

namespace BudgetActors.Domain.Tests;

/// <summary>The allocation check: which budgets lie directly inside which, and their limits summed against the outer one's.</summary>
public class AllocationTests
{
    private static BudgetDefinition Budget(string id, decimal? cost, long? tokens = null, PeriodType period = PeriodType.Monthly, params (string, string)[] scope) =>
        Budgets.Define(id, cost: cost, tokens: tokens, period: period, scope: scope);

    [Theory]
    [InlineData("{}", "user=a", true)]
    [InlineData("user=a", "user=a", false)]
    [InlineData("user=a", "{}", false)]
    [InlineData("user=a", "user=a,model=gpt-4o", true)]
    [InlineData("model=gpt-*", "model=gpt-4o", true)]
    [InlineData("model=gpt-*", "model=gpt-4*", true)]
    [InlineData("model=gpt-4*", "model=gpt-*", false)]
    [InlineData("model=gpt-4o", "model=gpt-*", false)]
    [InlineData("user=a", "user=b,model=x", false)]
    public void Within_is_strict_narrowing_with_prefixes(string outer, string inner, bool expected) =>
        Assert.Equal(expected, Allocation.Within(Scope(inner), Scope(outer)));

    [Fact]
    public void Only_budgets_directly_inside_and_of_the_same_period_are_summed()
    {
        var lines = Allocation.Of([
            Budget("org", 1000m, 5_000_000),
            Budget("alice", 600m, 1_000_000, scope: ("user", "alice")),
            Budget("alice-gpt", 700m, scope: [("user", "alice"), ("model", "gpt-*")]),
            Budget("bob", 300m, scope: ("user", "bob")),
            Budget("bob-daily", 50m, period: PeriodType.Daily, scope: ("user", "bob")),
        ]);

        Assert.Equal(["alice", "org"], lines.Select(l => l.BudgetId));
        var org = lines.Single(l => l.BudgetId == "org");
        Assert.Equal<string>(["alice", "bob"], org.Nested);
        Assert.Equal(new Limits(900m, 1_000_000, null), org.Allocated);
        Assert.False(org.OverAllocated);
        var alice = lines.Single(l => l.BudgetId == "alice");
        Assert.Equal<string>(["alice-gpt"], alice.Nested);
        Assert.Equal((700m, true), (alice.Allocated.Cost, alice.OverAllocated));
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(500.000001, true)]
    public void A_budget_is_over_allocated_only_past_its_own_limit(decimal second, bool over)
    {
        var lines = Allocation.Of([Budget("team", 1000m), Budget("a", 500m, scope: ("user", "a")), Budget("b", second, scope: ("user", "b"))]);

        Assert.Equal(over, Assert.Single(lines).OverAllocated);
    }

    private static ImmutableSortedDictionary<string, string> Scope(string text) =>
        text == "{}" ? ImmutableSortedDictionary<string, string>.Empty
            : text.Split(',').Select(p => p.Split('=')).ToImmutableSortedDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
