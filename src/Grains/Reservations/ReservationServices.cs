using System.Collections.Concurrent;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BudgetActors.Grains.Reservations;

/// <summary>What every reservation of a book needs, shared by them.</summary>
internal sealed record ReservationServices(
    IGrainFactory Grains,
    ISpendLedger Ledger,
    TenantDirectoryCache Directory,
    IAmountPricer Pricer,
    Serializer Serializer,
    TimeProvider Clock,
    ILogger Logger)
{
    private readonly ConcurrentDictionary<string, IBudgetGrain> _budgets = new(StringComparer.Ordinal);

    /// <summary>A budget's grain; references are kept (a tenant has few budgets, and making one is not free).</summary>
    public IBudgetGrain Budget(string tenantId, string budgetId) =>
        _budgets.GetOrAdd(budgetId, static (id, state) => state.Grains.Get<IBudgetGrain>(BudgetKey.Of(state.TenantId, id)), (Grains, TenantId: tenantId));
}
