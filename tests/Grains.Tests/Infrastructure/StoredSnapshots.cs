using Microsoft.Extensions.DependencyInjection;
using BudgetActors.Domain;
using Orleans.Storage;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>
/// What a budget grain last wrote to grain storage and the reminders it registered, read without
/// calling the grain: a call would roll the period over by itself and hide whether something else
/// (the reminder) already did.
/// </summary>
public static class StoredSnapshots
{
    public static async Task<BudgetSnapshotData> ReadAsync(ClusterFixture fixture, IBudgetGrain budget)
    {
        var storage = Silo(fixture).GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var state = new GrainState<BudgetSnapshot>(new BudgetSnapshot());
        await storage.ReadStateAsync("budget", budget.GetGrainId(), state);
        return state.State?.Account ?? throw new InvalidOperationException("No snapshot stored.");
    }

    /// <summary>Polls storage until the snapshot (written a few seconds after a change) satisfies <paramref name="done"/>.</summary>
    public static Task<BudgetSnapshotData> WaitForAsync(ClusterFixture fixture, IBudgetGrain budget, Func<BudgetSnapshotData, bool> done, string what) =>
        Poll.UntilAsync(() => ReadAsync(fixture, budget), done, what);

    public static async Task<ReminderEntry?> ReminderAsync(ClusterFixture fixture, IBudgetGrain budget, string name) =>
        await Silo(fixture).GetRequiredService<IReminderTable>().ReadRow(budget.GetGrainId(), name);

    private static IServiceProvider Silo(ClusterFixture fixture) => fixture.OnEachSilo<IServiceProvider>()[0];
}
