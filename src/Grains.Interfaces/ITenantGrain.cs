using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tenant (key: tenant id): its settings, API keys and budget definitions. Changes are answered
/// only once every process that caches the tenant's directory has dropped its copy, which after the
/// grain moved can mean waiting out leases it did not hand out itself: changes get a longer time to
/// answer than other calls (<see cref="TenantChanges.Timeout"/>). Reads are answered meanwhile.
/// </summary>
[Alias("BudgetActors.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; throws a Conflict problem if it already exists.</summary>
    [Alias("Create"), ResponseTimeout(TenantChanges.Timeout)]
    Task<TenantInfo> Create(string name, string currency, string timeZone);

    [Alias("GetInfo")]
    Task<TenantInfo?> GetInfo();

    [Alias("IssueKey"), ResponseTimeout(TenantChanges.Timeout)]
    Task<IssuedKey> IssueKey(ApiKeyRole role, string name);

    /// <summary>Revokes a key at once; false when there is no such key.</summary>
    [Alias("RevokeKey"), ResponseTimeout(TenantChanges.Timeout)]
    Task<bool> RevokeKey(string keyId);

    [Alias("PutBudget"), ResponseTimeout(TenantChanges.Timeout)]
    Task<PutBudgetResult> PutBudget(BudgetDefinition definition);

    /// <summary>False when there is no such budget.</summary>
    [Alias("DeleteBudget"), ResponseTimeout(TenantChanges.Timeout)]
    Task<bool> DeleteBudget(string budgetId);

    [Alias("ListBudgets")]
    Task<ImmutableArray<BudgetDefinition>> ListBudgets();

    /// <summary>Sets (or with null removes) the tenant's price for one model.</summary>
    [Alias("SetModelPrice"), ResponseTimeout(TenantChanges.Timeout)]
    Task<TenantPricing> SetModelPrice(string model, ModelPrice? price);

    /// <summary>Sets (or with null removes) the price of models that neither the tenant nor the catalog knows.</summary>
    [Alias("SetUnknownModelPrice"), ResponseTimeout(TenantChanges.Timeout)]
    Task<TenantPricing> SetUnknownModelPrice(ModelPrice? price);

    /// <summary>
    /// Sets the rate that converts catalog (USD) prices into the tenant's currency: one USD is
    /// <paramref name="usd"/> of it, as of <paramref name="asOf"/>. In force for everything priced
    /// from the answer on; what was priced before keeps its rate.
    /// </summary>
    [Alias("SetExchangeRate"), ResponseTimeout(TenantChanges.Timeout)]
    Task<ExchangeRate> SetExchangeRate(decimal usd, DateOnly asOf);

    [Alias("SetCostModel"), ResponseTimeout(TenantChanges.Timeout)]
    Task<JobCostModel> SetCostModel(JobCostModel model);

    /// <summary>Asks for more room on a budget for a while; pending until a tenant-admin decides.</summary>
    [Alias("RequestOverride"), ResponseTimeout(TenantChanges.Timeout)]
    Task<BudgetOverride> RequestOverride(string budgetId, Amount raise, string reason, int? durationMinutes);

    /// <summary>
    /// Approves (the limits rise at once) or rejects a pending override. The deciding key
    /// (<c>AuditActor</c>) may not be the one that asked: Forbidden.
    /// </summary>
    [Alias("DecideOverride"), ResponseTimeout(TenantChanges.Timeout)]
    Task<BudgetOverride> DecideOverride(string budgetId, string overrideId, bool approve);

    /// <summary>The budget's overrides, newest first, optionally in one state (as of now).</summary>
    [Alias("ListOverrides")]
    Task<ImmutableArray<BudgetOverride>> ListOverrides(string budgetId, OverrideState? state);

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
