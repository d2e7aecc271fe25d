namespace BudgetActors.Grains;

[GenerateSerializer, Alias("BudgetActors.Grains.TenantState")]
public sealed class TenantState
{
    [Id(0)] public TenantInfo? Info { get; set; }
    [Id(1)] public Dictionary<string, ApiKeyRecord> Keys { get; set; } = [];
    [Id(2)] public Dictionary<string, BudgetDefinition> Budgets { get; set; } = [];
    [Id(3)] public long Version { get; set; }

    /// <summary>
    /// Directory leases handed out by any activation may still run until then (wall clock, UTC). A new
    /// activation does not know who holds them, so its first change waits until this has passed.
    /// </summary>
    [Id(4)] public DateTimeOffset? LeasesOutstandingUntil { get; set; }

    [Id(5)] public TenantPricing Pricing { get; set; } = TenantPricing.None;

    [Id(6)] public JobCostModel CostModel { get; set; } = JobCostModel.Seed;

    /// <summary>Overrides of every budget, by id: requested, decided, expired.</summary>
    [Id(7)] public Dictionary<string, BudgetOverride> Overrides { get; set; } = [];

    /// <summary>Tiers, subject assignments and which subjects have their tier's budgets (see TenantGrain.Tiers.cs).</summary>
    [Id(8)] public Tiers.TierBook Tiers { get; set; } = new();
}
