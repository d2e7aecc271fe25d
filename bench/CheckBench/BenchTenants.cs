using System.Collections.Immutable;

namespace BudgetActors.CheckBench;

/// <summary>
/// The budgets the checks run against. Limits are realistic in shape but high, so no check ever
/// crosses a threshold: every row measures the same "allow" path.
/// </summary>
public static class BenchTenants
{
    /// <summary>One budget applies: a monthly budget of user alice.</summary>
    public const string OneBudget = "bench-one";

    /// <summary>Three budgets apply, nested: the tenant's month ⊃ alice's day ⊃ alice on gpt-4o today.</summary>
    public const string ThreeBudgets = "bench-three";

    public static readonly ImmutableSortedDictionary<string, string> Attributes =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["user"] = "alice",
            ["model"] = "gpt-4o",
            ["queue"] = "interactive",
        });

    /// <summary>What a typical chat completion asks for.</summary>
    public static readonly CheckRequest Check = new(Attributes, new ExplicitAmount(new Amount(0.012m, 1_500, 1)));

    public static async Task SeedAsync(IGrainFactory grains)
    {
        var one = await CreateTenant(grains, OneBudget);
        await one.PutBudget(Budget("alice-monthly", PeriodType.Monthly, 50_000m, 10_000_000_000, ("user", "alice")));

        var three = await CreateTenant(grains, ThreeBudgets);
        await three.PutBudget(Budget("tenant-monthly", PeriodType.Monthly, 1_000_000m, 1_000_000_000_000));
        await three.PutBudget(Budget("alice-daily", PeriodType.Daily, 10_000m, 10_000_000_000, ("user", "alice")));
        await three.PutBudget(Budget("alice-gpt-4o-daily", PeriodType.Daily, 5_000m, 5_000_000_000, ("user", "alice"), ("model", "gpt-4o")));
    }

    private static async Task<ITenantGrain> CreateTenant(IGrainFactory grains, string id)
    {
        var tenant = grains.GetGrain<ITenantGrain>(id);
        await tenant.Create(id, "USD", "Europe/Paris");
        return tenant;
    }

    private static BudgetDefinition Budget(string id, PeriodType period, decimal cost, long tokens, params (string Name, string Value)[] scope) =>
        new(id,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, scope.Select(p => KeyValuePair.Create(p.Name, p.Value))),
            new PeriodSpec(period, "Europe/Paris"),
            new Limits(cost, tokens, null),
            Thresholds.Default,
            EnforcementMode.Hard,
            null);
}
