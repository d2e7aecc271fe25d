using BudgetActors.Grains.Domain;

namespace BudgetActors.Grains.Directory;

/// <summary>A tenant's directory with the indexes the hot path needs, built once per cached copy.</summary>
public sealed class TenantView
{
    private readonly Dictionary<string, ApiKeyRecord> _keys;
    private readonly Dictionary<string, BudgetDefinition> _budgets;

    public TenantView(TenantDirectory directory)
    {
        Directory = directory;
        Scopes = new ScopeIndex(directory.Budgets);
        _keys = directory.Keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        _budgets = directory.Budgets.ToDictionary(b => b.Id, StringComparer.Ordinal);
    }

    public TenantDirectory Directory { get; }

    public TenantInfo Tenant => Directory.Tenant;

    public ScopeIndex Scopes { get; }

    public ApiKeyRecord? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    public BudgetDefinition? FindBudget(string budgetId) => _budgets.GetValueOrDefault(budgetId);
}
