using System.Collections.Immutable;

namespace BudgetActors.Grains;

/// <summary>Gathers the statuses of a set of budgets into one summary.</summary>
public static class SpendRollup
{
    public static async Task<SpendSummary> Summarize(IGrainFactory grains, string tenantId, string? user, IEnumerable<BudgetDefinition> budgets)
    {
        var definitions = budgets.ToList();
        var statuses = await Task.WhenAll(definitions
            .OrderBy(b => b.Id, StringComparer.Ordinal)
            .Select(b => grains.Get<IBudgetGrain>(BudgetKey.Of(tenantId, b.Id)).GetStatus()));
        var live = statuses.OfType<BudgetStatus>().ToImmutableArray();
        var worst = live.Length == 0 ? BudgetState.Ok : live.Max(s => s.State);
        var blocked = live.Where(s => s.State == BudgetState.Blocked).Select(s => s.BudgetId).ToImmutableArray();
        return new SpendSummary(tenantId, user, worst, blocked, live, Domain.Allocation.Of(definitions));
    }
}
