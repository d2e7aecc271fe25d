using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.ApiKeyRole")]
public enum ApiKeyRole
{
    /// <summary>The bootstrap key: everything, every tenant.</summary>
    Admin,

    /// <summary>One tenant: budgets, keys, overrides, and all a service may do.</summary>
    TenantAdmin,

    /// <summary>One tenant: check, reserve, commit, release, record, read.</summary>
    Service,
}
