using System.Collections.Concurrent;
using BudgetActors.Domain;

namespace BudgetActors.Grains.Directory;

/// <summary>A tenant's directory with the indexes the hot path needs, built once per cached copy.</summary>
public sealed class TenantView
{
    private readonly Dictionary<string, ApiKeyRecord> _keys;
    private readonly Dictionary<string, BudgetDefinition> _budgets;
    private readonly IGrainFactory _grains;
    private TierIndex? _tiers;

    // A reference is made once per budget and cached copy (see GrainReferences for why references are dear).
    private readonly ConcurrentDictionary<string, IBudgetGrain> _budgetGrains = new(StringComparer.Ordinal);

    public TenantView(TenantDirectory directory, IGrainFactory grains)
    {
        Directory = directory;
        _grains = grains;
        Scopes = new ScopeIndex(directory.Budgets);
        _keys = directory.Keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        _budgets = directory.Budgets.ToDictionary(b => b.Id, StringComparer.Ordinal);
    }

    public TenantDirectory Directory { get; }

    public TenantInfo Tenant => Directory.Tenant;

    public ScopeIndex Scopes { get; }

    /// <summary>Which subjects of a request still need their tier's budgets (built on first use: most tenants have no tiers).</summary>
    public TierIndex Tiers => _tiers ??= Directory.Tiers is { } tiers ? new TierIndex(tiers) : TierIndex.Empty;

    public ApiKeyRecord? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    public BudgetDefinition? FindBudget(string budgetId) => _budgets.GetValueOrDefault(budgetId);

    /// <summary>The grain of one of the tenant's budgets (a reference: the budget need not exist).</summary>
    public IBudgetGrain BudgetGrain(string budgetId) =>
        _budgetGrains.GetOrAdd(budgetId, static (id, view) =>
            view._grains.Get<IBudgetGrain>(BudgetKey.Of(view.Tenant.Id, id)), this);
}
