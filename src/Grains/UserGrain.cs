using BudgetActors.Grains.Directory;

namespace BudgetActors.Grains;

/// <summary>One user of a tenant (key <c>tenant/user</c>): the roll-up of the budgets scoped to that user.</summary>
public sealed class UserGrain(TenantDirectoryCache directory) : Grain, IUserGrain
{
    public async Task<SpendSummary> GetSummary()
    {
        var (tenantId, user) = BudgetKey.Split(this.GetPrimaryKeyString());
        var view = await directory.RequireAsync(tenantId);
        var budgets = view.Directory.Budgets.Where(b => b.Scope.TryGetValue("user", out var u) && u == user);
        return await SpendRollup.Summarize(GrainFactory, tenantId, user, budgets);
    }
}
