using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Checks are answered from the facts budget grains publish in their silo, without a grain call; the
/// answer must be the one the grain gives, through holds, expiry, rollover and redefinition.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BudgetBoardTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_check_answered_from_the_board_is_the_one_the_grain_gives()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("daily", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));

        await Same(tenant, Cost(10m));
        var held = await tenant.Reserve(Cost(60m), ttl: TimeSpan.FromMinutes(1));
        await Same(tenant, Cost(30m)); // 60 held: 30 more throttles
        await Same(tenant, Cost(50m)); // … and 50 more blocks

        TestClock.Advance(TimeSpan.FromMinutes(2)); // the hold expires, and nobody told the grain yet
        await Same(tenant, Cost(50m));
        Assert.Equal(Decision.Allow, (await tenant.Check(Cost(50m))).Decision);

        await tenant.Record(Cost(95m));
        await Same(tenant, Cost(10m));
        TestClock.Advance(TimeSpan.FromDays(1)); // a new day: the spend is history
        await Same(tenant, Cost(10m));
        Assert.Equal(0m, Assert.Single((await tenant.Check(Cost(10m))).Budgets).Cost.Spent);

        await tenant.PutBudget("daily", new Limits(5m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(10m))).Decision); // the new limit, at once
        await Same(tenant, Cost(10m));
        Assert.NotNull(held.ReservationId);
    }

    /// <summary>The admission grain (whose silo's board answers) against the budget grain itself.</summary>
    private static async Task Same(TestTenant tenant, Amount estimate)
    {
        var checkedByAdmission = await tenant.Check(estimate);
        var byGrain = await tenant.Budget("daily").Check(estimate, 0, 0);
        var verdict = Assert.Single(checkedByAdmission.Budgets);
        Assert.Equal(byGrain!.Decision, checkedByAdmission.Decision);
        Assert.Equal(byGrain.Status, verdict);
    }
}
