using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>One user of a tenant (key <c>tenant/user</c>): rolls up the budgets scoped to that user.</summary>
[Alias("BudgetActors.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    [Alias("GetSummary")]
    Task<SpendSummary> GetSummary();
}
