using System.Collections.Immutable;

namespace BudgetActors.Domain.Tests;

/// <summary>Tier budgets: their ids, what a move of a subject does to its budgets, the hot-path index and the rules.</summary>
public sealed class TierTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static TierDefinition Tier(string id, params BudgetDefinition[] templates) =>
        new(id, "user", [.. templates], Now);

    private static Dictionary<string, BudgetDefinition> Stored(params BudgetDefinition[] budgets) =>
        budgets.ToDictionary(b => b.Id, StringComparer.Ordinal);

    [Fact]
    public void A_plain_value_makes_the_contract_id()
    {
        Assert.Equal("free.daily.carol", TierBudgets.BudgetId("free", "daily", "carol"));
        Assert.Equal("free.daily.carol@acme.test", TierBudgets.BudgetId("free", "daily", "carol@acme.test"));
    }

    [Fact]
    public void Values_with_characters_ids_lack_are_escaped_into_valid_distinct_ids()
    {
        string[] values = ["a/b", "a+b", "a_b", "a_sb", "a__b", "a_pb", "a_s"];
        var ids = values.Select(v => TierBudgets.BudgetId("free", "daily", v)).ToList();

        Assert.All(ids, id => Assert.True(Identifiers.IsId(id), id));
        Assert.Equal(values.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("free.daily.a_sb", ids[0]);
        Assert.Equal("free.daily.a_pb", ids[1]);
        Assert.Equal("free.daily.a__b", ids[2]);
    }

    [Fact]
    public void Long_values_are_cut_and_hashed_within_128_characters_and_stay_distinct()
    {
        var tier = new string('t', TierBudgets.MaxNameLength);
        var name = new string('n', TierBudgets.MaxNameLength);
        var a = new string('v', 255) + "a";
        var b = new string('v', 255) + "b";
        var slashes = new string('/', 256);

        var ids = new[] { a, b, slashes }.Select(v => TierBudgets.BudgetId(tier, name, v)).ToList();

        Assert.All(ids, id => Assert.True(Identifiers.IsId(id) && id.Length <= 128, id));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Contains("_h", ids[0]);
        Assert.Equal(TierBudgets.BudgetId(tier, name, a), ids[0]); // the same value always makes the same id
    }

    [Fact]
    public void A_first_move_creates_each_template_for_the_subject_scoped_to_it()
    {
        var free = Tier("free", Budgets.Define("daily", cost: 1m, period: PeriodType.Daily), Budgets.Define("monthly", cost: 10m));

        var move = TierBudgets.Move(null, free, "carol", Stored());

        Assert.Equal(["free.daily.carol", "free.monthly.carol"], move.Created.Select(b => b.Id));
        Assert.Equal(move.Created, move.Put);
        Assert.Empty(move.Retired);
        Assert.All(move.Put, b =>
        {
            Assert.Equal("free", b.Tier);
            Assert.Equal([KeyValuePair.Create("user", "carol")], b.Scope);
        });
        Assert.Equal(1m, move.Put[0].Limits.Cost);
        Assert.Equal(PeriodType.Daily, move.Put[0].Period.Type);
    }

    [Fact]
    public void A_changed_template_updates_the_subjects_budget_and_keeps_its_approved_raises()
    {
        var before = Tier("free", Budgets.Define("daily", cost: 1m), Budgets.Define("weekly", cost: 5m));
        var after = Tier("free", Budgets.Define("daily", cost: 2m), Budgets.Define("total", cost: 50m, period: PeriodType.Total));
        var raise = new LimitRaise("ovr-1", new Amount(3m, 0, 0), Now.AddDays(1));
        var existing = TierBudgets.Move(null, before, "carol", Stored()).Put
            .Select(b => b.Id == "free.daily.carol" ? b with { Raises = [raise] } : b).ToArray();

        var move = TierBudgets.Move(before, after, "carol", Stored(existing));

        var daily = Assert.Single(move.Put, b => b.Id == "free.daily.carol");
        Assert.Equal(2m, daily.Limits.Cost);
        Assert.Same(raise, Assert.Single(daily.Raises));
        Assert.Equal(["free.total.carol"], move.Created.Select(b => b.Id));
        Assert.Equal(["free.weekly.carol"], move.Retired);
    }

    [Fact]
    public void An_unchanged_template_changes_nothing()
    {
        var free = Tier("free", Budgets.Define("daily", cost: 1m));
        var existing = TierBudgets.Move(null, free, "carol", Stored()).Put.ToArray();

        Assert.True(TierBudgets.Move(free, free with { UpdatedAt = Now.AddHours(1) }, "carol", Stored(existing)).IsEmpty);
    }

    [Fact]
    public void A_new_tier_swaps_the_budgets_and_no_tier_retires_them()
    {
        var free = Tier("free", Budgets.Define("daily", cost: 1m));
        var pro = Tier("pro", Budgets.Define("daily", cost: 10m));
        var existing = Stored([.. TierBudgets.Move(null, free, "carol", Stored()).Put]);

        var swap = TierBudgets.Move(free, pro, "carol", existing);
        Assert.Equal(["pro.daily.carol"], swap.Created.Select(b => b.Id));
        Assert.Equal(["free.daily.carol"], swap.Retired);

        var none = TierBudgets.Move(free, null, "carol", existing);
        Assert.Empty(none.Put);
        Assert.Equal(["free.daily.carol"], none.Retired);
    }

    [Fact]
    public void A_budget_made_by_hand_under_a_tier_id_is_never_taken_over()
    {
        var free = Tier("free", Budgets.Define("daily", cost: 1m));
        var byHand = Budgets.Define("free.daily.carol", cost: 100m, scope: [("user", "carol")]);

        var move = TierBudgets.Move(null, free, "carol", Stored(byHand));

        Assert.Equal(["free.daily.carol"], move.Conflicts);
        Assert.Empty(move.Put);
    }

    [Fact]
    public void The_index_finds_only_subjects_that_have_a_tier_but_not_its_budgets()
    {
        var free = Tier("free", Budgets.Define("daily", cost: 1m));
        var team = new TierDefinition("team", "project", [Budgets.Define("monthly", cost: 100m)], Now);
        var index = new TierIndex(new TierDirectory([free, team],
            ImmutableDictionary<string, string>.Empty.Add("project/apollo", "team"),
            ImmutableDictionary<string, string>.Empty.Add("user/alice", "free"),
            DefaultTier: "free"));

        Assert.Null(index.Missing(new Dictionary<string, string> { ["user"] = "alice", ["model"] = "gpt-4o" }));
        Assert.Equal([("user", "carol")], index.Missing(new Dictionary<string, string> { ["user"] = "carol" }));
        Assert.Equal([("project", "apollo")], index.Missing(new Dictionary<string, string> { ["project"] = "apollo", ["user"] = "alice" }));
        Assert.Null(index.Missing(new Dictionary<string, string> { ["project"] = "zeus" })); // the default tier is for users
        Assert.Null(TierIndex.Empty.Missing(new Dictionary<string, string> { ["user"] = "carol" }));
        Assert.Equal("team", index.TierOf("project", "apollo"));
        Assert.Equal("free", index.InstantiatedTier("user", "alice"));
    }

    [Fact]
    public void The_rules_refuse_dotted_names_scoped_templates_unknown_subjects_and_bad_template_fields()
    {
        var bad = new TierDefinition("free.v2", "tenant",
        [
            Budgets.Define("da.ily", cost: 1m),
            Budgets.Define("scoped", cost: 1m, scope: [("user", "x")]),
            Budgets.Define("nolimit"),
        ], Now);

        var errors = TierRules.Validate(bad).ToImmutable();

        Assert.Contains("tier", errors.Keys);
        Assert.Contains("subject", errors.Keys);
        Assert.Contains("budgets.da.ily", errors.Keys);
        Assert.Contains("budgets.scoped.scope", errors.Keys);
        Assert.Contains("budgets.nolimit.limits", errors.Keys);
        Assert.True(TierRules.Validate(Tier("free", Budgets.Define("daily", cost: 1m))).IsEmpty);
        Assert.False(TierRules.Validate(Tier("empty")).IsEmpty);
    }
}
