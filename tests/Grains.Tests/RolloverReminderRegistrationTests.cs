using BudgetActors.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Storage;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// The rollover reminder is registered once per period: when the budget is defined and at each tick,
/// not at every activation. Its snapshot remembers the period end it was registered for. (Each
/// registration is a write to the reminder table, and the silo's reminder service keeps a record of
/// it in memory until its next refresh of the table.)
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RolloverReminderRegistrationTests(ClusterFixture fixture)
{
    private const string Paris = "Europe/Paris";

    [Fact]
    public async Task An_activation_leaves_the_reminder_registered_for_its_period_and_a_tick_registers_it_again()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, Paris));
        var budget = tenant.Budget("monthly");
        var decemberStart = Calendar.Instant(Paris, new LocalDate(year, 12, 1));

        var registered = await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder);
        Assert.NotNull(registered);
        Assert.Equal(decemberStart, (await StoredStateAsync(budget)).RolloverDue); // written with the definition

        await Activations.Deactivate(budget);
        Assert.NotNull(await budget.GetStatus());
        Assert.Equal(registered.ETag, (await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder))!.ETag);

        // A tick (here before the period ended, as a tick of a reminder out of step would come) registers it again, for the period's end.
        await budget.AsReference<IRemindable>().ReceiveReminder(BudgetGrain.RolloverReminder, default);
        var again = await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder);
        Assert.NotNull(again);
        Assert.NotEqual(registered.ETag, again.ETag);
        Assert.InRange(again.Period, TimeSpan.FromDays(28), TimeSpan.FromDays(31));
    }

    [Fact]
    public async Task A_period_that_rolled_over_lazily_registers_the_reminder_for_the_next_end_and_stores_it()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, Paris));
        var budget = tenant.Budget("monthly");
        var registered = await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder);

        TestClock.SetLocal(Paris, new LocalDateTime(year, 12, 1, 0, 5));
        Assert.NotNull(await budget.GetStatus()); // rolls over lazily

        var januaryStart = Calendar.Instant(Paris, new LocalDate(year + 1, 1, 1));
        var stored = await Poll.UntilAsync(() => StoredStateAsync(budget), s => s.RolloverDue == januaryStart, "the next period end to be stored");
        Assert.Equal(januaryStart, stored.Account!.Period.End);
        Assert.NotEqual(registered!.ETag, (await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder))!.ETag);
    }

    [Fact]
    public async Task A_retired_budget_forgets_its_reminder()
    {
        TestClock.JumpToLocal(Paris, 11, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, Paris));
        var budget = tenant.Budget("monthly");

        Assert.True(await tenant.Grain.DeleteBudget("monthly"));

        var stored = await StoredStateAsync(budget);
        Assert.True(stored.Retired);
        Assert.Null(stored.RolloverDue);
        Assert.Null(await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder));
    }

    private async Task<BudgetSnapshot> StoredStateAsync(IBudgetGrain budget)
    {
        var storage = fixture.OnEachSilo<IServiceProvider>()[0].GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var state = new GrainState<BudgetSnapshot>(new BudgetSnapshot());
        await storage.ReadStateAsync(BudgetGrain.StateName, budget.GetGrainId(), state);
        return state.State ?? throw new InvalidOperationException("No budget state stored.");
    }
}
