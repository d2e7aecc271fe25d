namespace BudgetActors.Domain.Tests.Periods;

/// <summary>
/// Carry-over: at rollover, unused budget up to unusedCap × the defined limit is added to the next
/// period's limit, and overage is taken from it (never below zero). The arithmetic over several days of
/// a daily budget of 100.
/// </summary>
public class CarryOverTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static BudgetAccount Daily(CarryOverPolicy policy, decimal cost = 100m, long? tokens = null) =>
        new(Budgets.Define(cost: cost, tokens: tokens, period: PeriodType.Daily) with { CarryOver = policy }, Day1, Day1.AddHours(1));

    private static DateTimeOffset Day(int n, int hour = 12) => Day1.AddDays(n - 1).AddHours(hour);

    [Fact]
    public void Unused_budget_is_capped_and_overage_is_taken_from_the_next_day_over_several_days()
    {
        var account = Daily(new CarryOverPolicy(Unused: true, UnusedCap: 0.5m, Overage: true));

        account.Usage(Spend.Cost(30m), Day(1)); // 70 unused, capped at 50
        account.Advance(Day(2, 0));
        Assert.Equal(150m, account.Status().Cost.Limit);

        account.Usage(Spend.Cost(160m), Day(2)); // 10 past its 150
        account.Advance(Day(3, 0));
        Assert.Equal(90m, account.Status().Cost.Limit);

        account.Usage(Spend.Cost(85m), Day(3)); // 5 unused: all of it carries
        account.Advance(Day(4, 0));
        Assert.Equal(105m, account.Status().Cost.Limit);

        account.Advance(Day(5, 0)); // nothing spent on day 4: 105 unused, capped at 50
        Assert.Equal(150m, account.Status().Cost.Limit);

        var history = account.History.Reverse().ToList(); // oldest first
        Assert.Equal([100m, 150m, 90m, 105m], history.Select(r => r.Limits.Cost!.Value));
        Assert.Equal([null, 50m, -10m, 5m], history.Select(r => r.CarriedIn?.Cost));
        Assert.Equal([50m, -10m, 5m, 50m], history.Select(r => r.CarriedOut?.Cost));
        Assert.Equal([BudgetState.Ok, BudgetState.Blocked, BudgetState.Throttled, BudgetState.Ok], history.Select(r => r.FinalState));
    }

    [Fact]
    public void Overage_larger_than_the_limit_takes_it_to_zero_and_no_further()
    {
        var account = Daily(new CarryOverPolicy(Unused: false, UnusedCap: 0m, Overage: true));
        account.Usage(Spend.Cost(350m), Day(1));

        account.Advance(Day(2, 0));
        Assert.Equal(0m, account.Status().Cost.Limit);
        Assert.Equal(-250m, account.CarryIn!.Cost);

        account.Advance(Day(3, 0)); // day 2 spent nothing of its 0: nothing carries, nothing unused counts
        Assert.Equal(100m, account.Status().Cost.Limit);
        Assert.Equal(-100m, account.History[0].CarriedIn!.Cost); // what the 250 could really take
    }

    [Fact]
    public void Without_a_policy_for_it_neither_unused_budget_nor_overage_carries()
    {
        var unusedOnly = Daily(new CarryOverPolicy(Unused: true, UnusedCap: 1m, Overage: false));
        unusedOnly.Usage(Spend.Cost(160m), Day(1));
        unusedOnly.Advance(Day(2, 0));
        Assert.Equal(100m, unusedOnly.Status().Cost.Limit);

        var overageOnly = Daily(new CarryOverPolicy(Unused: false, UnusedCap: 1m, Overage: true));
        overageOnly.Usage(Spend.Cost(10m), Day(1));
        overageOnly.Advance(Day(2, 0));
        Assert.Equal(100m, overageOnly.Status().Cost.Limit);
        Assert.Null(overageOnly.History[0].CarriedOut);
    }

    [Fact]
    public void Counts_carry_whole_and_money_to_six_places()
    {
        var account = Daily(new CarryOverPolicy(Unused: true, UnusedCap: 0.333333333m, Overage: false), cost: 10m, tokens: 1001);
        account.Advance(Day(2, 0));

        var carried = account.CarryIn!;
        Assert.Equal(3.333333m, carried.Cost); // 3.33333333 rounded down to micro-units
        Assert.Equal(333L, carried.Tokens); // 333.666… rounded down
        Assert.Equal(1334m, account.Status().Tokens.Limit);
    }

    [Fact]
    public void Late_spend_in_a_closed_period_changes_what_it_carried_as_if_it_had_come_in_time()
    {
        var policy = new CarryOverPolicy(Unused: true, UnusedCap: 0.5m, Overage: true);
        var late = Daily(policy);
        late.Usage(Spend.Cost(30m), Day(1), sequence: 1);
        late.Advance(Day(3, 0)); // day 1 and day 2 close before the late spend is applied
        late.Usage(Spend.Cost(40m), Day(1, 23), sequence: 2);
        late.Usage(Spend.Cost(140m), Day(2), sequence: 3);

        var inTime = Daily(policy);
        inTime.Usage(Spend.Cost(30m), Day(1), sequence: 1);
        inTime.Usage(Spend.Cost(40m), Day(1, 23), sequence: 2);
        inTime.Advance(Day(2, 0));
        inTime.Usage(Spend.Cost(140m), Day(2), sequence: 3);
        inTime.Advance(Day(3, 0));

        // Day 1: 70 spent, 30 unused → day 2's limit 130; 140 spent → 10 taken from day 3.
        Assert.Equal(90m, late.Status().Cost.Limit);
        Assert.Equal(inTime.Status().Cost.Limit, late.Status().Cost.Limit);
        Assert.Equal(inTime.History, late.History);
        Assert.Equal(130m, late.History[0].Limits.Cost);
    }

    [Fact]
    public void Periods_nobody_called_in_carry_as_if_each_had_rolled_over_and_settle_at_the_cap()
    {
        var account = Daily(new CarryOverPolicy(Unused: true, UnusedCap: 2m, Overage: true));
        account.Usage(Spend.Cost(100m), Day(1));

        account.Advance(Day(1500)); // more days than the history keeps
        Assert.Equal(BudgetAccount.HistoryCapacity, account.History.Count);
        Assert.Equal(300m, account.Status().Cost.Limit); // 100 + the cap of 200, reached after two empty days
        Assert.Equal(200m, account.History[^1].CarriedIn!.Cost); // the oldest day kept got what the days before it passed on

        var stepwise = Daily(new CarryOverPolicy(Unused: true, UnusedCap: 2m, Overage: true));
        stepwise.Usage(Spend.Cost(100m), Day(1));
        var limits = new List<decimal>();
        for (var day = 2; day <= 5; day++)
        {
            stepwise.Advance(Day(day, 0));
            limits.Add(stepwise.Status().Cost.Limit!.Value);
        }

        Assert.Equal([100m, 200m, 300m, 300m], limits);
    }
}
