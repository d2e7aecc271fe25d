using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

public class ScopeIndexTests
{
    private static readonly ScopeIndex Index = new([
        Budgets.Define("tenant", cost: 1000m),
        Budgets.Define("alice", cost: 100m, scope: ("user", "alice")),
        Budgets.Define("alice-gpt4o", cost: 10m, scope: [("user", "alice"), ("model", "gpt-4o")]),
        Budgets.Define("alice-gpt", cost: 10m, scope: [("user", "alice"), ("model", "gpt-*")]),
        Budgets.Define("any-claude", cost: 10m, scope: ("model", "claude-*")),
        Budgets.Define("bob", cost: 100m, scope: ("user", "bob")),
    ]);

    private static Dictionary<string, string> Attributes(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value);

    [Fact]
    public void Every_matching_budget_applies_from_the_narrowest_to_the_tenant_root()
    {
        var ids = Index.Applicable(Attributes(("user", "alice"), ("model", "gpt-4o"), ("project", "x"))).ToArray();

        Assert.Equal(["alice-gpt4o", "alice-gpt", "alice", "tenant"], ids);
    }

    [Fact]
    public void A_prefix_value_matches_by_prefix_and_an_exact_value_only_exactly()
    {
        Assert.Equal(["any-claude", "tenant"], Index.Applicable(Attributes(("model", "claude-3-opus"))).ToArray());
        Assert.Equal(["alice-gpt", "alice", "tenant"], Index.Applicable(Attributes(("user", "alice"), ("model", "gpt-4o-mini"))).ToArray());
        Assert.Equal(["tenant"], Index.Applicable(Attributes(("user", "alice2"))).ToArray());
    }

    [Fact]
    public void An_empty_scope_applies_to_everything_and_missing_attributes_do_not_match()
    {
        Assert.Equal(["tenant"], Index.Applicable(Attributes()).ToArray());
        Assert.Equal(["tenant"], Index.Applicable(Attributes(("model", "gpt-4o"))).ToArray());
    }

    [Fact]
    public void Prefix_scopes_of_every_length_are_found_by_index_and_a_lone_star_matches_any_value()
    {
        // A thousand prefix-only budgets (no exact attribute to index them by): each lookup finds exactly its own.
        var budgets = Enumerable.Range(0, 1000).Select(i => Budgets.Define($"p{i}", cost: 1m, scope: ("project", $"team-{i}-*"))).ToList();
        budgets.Add(Budgets.Define("any-project", cost: 1m, scope: ("project", "*")));
        budgets.Add(Budgets.Define("t-queue", cost: 1m, scope: [("project", "team-7-*"), ("queue", "etl*")]));
        var index = new ScopeIndex(budgets);

        // Equally narrow scopes (one prefix each) come in id order: one global order for taking holds.
        Assert.Equal(["any-project", "p7"], index.Applicable(Attributes(("project", "team-7-ml"))).ToArray());
        Assert.Equal(["t-queue", "any-project", "p7"], index.Applicable(Attributes(("project", "team-7-x"), ("queue", "etl-nightly"))).ToArray());
        Assert.Equal(["any-project", "p123"], index.Applicable(Attributes(("project", "team-123-"))).ToArray());
        Assert.Equal(["any-project"], index.Applicable(Attributes(("project", "team-"))).ToArray());
        Assert.Empty(index.Applicable(Attributes(("queue", "etl"))));
    }

    [Fact]
    public void No_budget_no_answer()
    {
        Assert.Empty(new ScopeIndex([]).Applicable(Attributes(("user", "alice"))));
    }
}
