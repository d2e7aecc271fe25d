using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tenant (key: tenant id): its settings, API keys and budget definitions. Changes are answered
/// only once every process that caches the tenant's directory has dropped its copy.
/// </summary>
[Alias("BudgetActors.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; throws a Conflict problem if it already exists.</summary>
    [Alias("Create")]
    Task<TenantInfo> Create(string name, string currency, string timeZone);

    [Alias("GetInfo")]
    Task<TenantInfo?> GetInfo();

    [Alias("IssueKey")]
    Task<IssuedKey> IssueKey(ApiKeyRole role, string name);

    /// <summary>Revokes a key at once; false when there is no such key.</summary>
    [Alias("RevokeKey")]
    Task<bool> RevokeKey(string keyId);

    [Alias("PutBudget")]
    Task<PutBudgetResult> PutBudget(BudgetDefinition definition);

    /// <summary>False when there is no such budget.</summary>
    [Alias("DeleteBudget")]
    Task<bool> DeleteBudget(string budgetId);

    [Alias("ListBudgets")]
    Task<ImmutableArray<BudgetDefinition>> ListBudgets();

    /// <summary>Sets (or with null removes) the tenant's price for one model.</summary>
    [Alias("SetModelPrice")]
    Task<TenantPricing> SetModelPrice(string model, ModelPrice? price);

    /// <summary>Sets (or with null removes) the price of models that neither the tenant nor the catalog knows.</summary>
    [Alias("SetUnknownModelPrice")]
    Task<TenantPricing> SetUnknownModelPrice(ModelPrice? price);

    [Alias("SetCostModel")]
    Task<JobCostModel> SetCostModel(JobCostModel model);

    /// <summary>The roll-up of all the tenant's budgets.</summary>
    [Alias("GetSummary")]
    Task<SpendSummary> GetSummary();

    /// <summary>
    /// The directory, leased to <paramref name="observer"/> (when given) for the lease time of the
    /// answer's caller: until then the tenant notifies the observer before any change takes effect.
    /// Null when the tenant does not exist.
    /// </summary>
    [Alias("GetDirectory")]
    Task<TenantDirectory?> GetDirectory(ITenantDirectoryObserver? observer);
}
