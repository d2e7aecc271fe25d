using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

public class BudgetAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static BudgetAccount Account(BudgetDefinition definition) => new(definition, Now, Now);

    [Theory]
    [InlineData(0, Decision.Allow, BudgetState.Ok)]
    [InlineData(74.999999, Decision.Allow, BudgetState.Ok)]
    [InlineData(75, Decision.Warn, BudgetState.Warning)]
    [InlineData(90, Decision.Throttle, BudgetState.Throttled)]
    [InlineData(100, Decision.Throttle, BudgetState.Blocked)]
    public void Decision_and_state_follow_the_thresholds(decimal spent, Decision expected, BudgetState state)
    {
        var account = Account(Budgets.Define(cost: 100m));
        account.Charge(new Amount(spent, 0, 0));

        Assert.Equal(expected, account.Evaluate(Amount.Zero, 0).Decision);
        Assert.Equal(state, account.Status().State);
    }

    [Fact]
    public void Hard_budget_admits_up_to_the_limit_exactly_and_not_a_micro_unit_more()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.Charge(new Amount(9.999999m, 0, 0));

        Assert.Equal(Decision.Throttle, account.Evaluate(Budgets.Cost(0.000001m), 0).Decision);
        Assert.Equal(Decision.Block, account.Evaluate(Budgets.Cost(0.000002m), 0).Decision);
    }

    [Fact]
    public void Holds_count_against_the_limit_until_released()
    {
        var account = Account(Budgets.Define(cost: 10m));

        Assert.Equal(HoldDecision.Granted, account.Reserve("a", Budgets.Cost(6m)));
        Assert.Equal(HoldDecision.Refused, account.Reserve("b", Budgets.Cost(6m)));
        Assert.Equal(6m, account.Release("a").Cost);
        Assert.Equal(HoldDecision.Granted, account.Reserve("b", Budgets.Cost(6m)));
        Assert.Equal(6m, account.Status().Cost.Reserved);
    }

    [Fact]
    public void A_refusal_caused_only_by_tentative_holds_asks_to_wait_instead()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.TryHold("tentative", Budgets.Cost(6m));

        Assert.Equal(HoldDecision.WaitForTentative, account.TryHold("b", Budgets.Cost(6m)));
        account.Charge(new Amount(5m, 0, 0));
        Assert.Equal(HoldDecision.Refused, account.TryHold("b", Budgets.Cost(6m)));
    }

    [Fact]
    public void Confirm_makes_a_tentative_hold_firm_with_its_real_expiry()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.TryHold("r", Budgets.Cost(6m));

        Assert.Equal(ApplyOutcome.Applied, account.Confirm("r", Budgets.Cost(6m), Now.AddHours(1)));
        Assert.Equal(HoldDecision.Refused, account.TryHold("b", Budgets.Cost(6m)));
        Assert.Empty(account.Tentative);
        Assert.Equal(Now.AddHours(1), account.Holds["r"].ExpiresAt);
    }

    [Fact]
    public void A_check_decides_on_firm_spend_and_holds_not_on_holds_still_in_flight()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.TryHold("in-flight", Budgets.Cost(8m));

        Assert.Equal(Decision.Allow, account.Evaluate(Budgets.Cost(5m), 0).Decision);
        Assert.Equal(0m, account.Status().Cost.Reserved);
        Assert.Equal(8m, account.Pending.Cost);
    }

    [Fact]
    public void A_retried_hold_of_the_same_reservation_is_counted_once()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.TryHold("r", Budgets.Cost(4m));
        account.TryHold("r", Budgets.Cost(4m));
        account.Confirm("r", Budgets.Cost(4m), Now.AddMinutes(5));
        account.TryHold("r", Budgets.Cost(4m));

        Assert.Equal(4m, account.Reserved.Cost);
        Assert.Equal(0m, account.Pending.Cost);
    }

    [Fact]
    public void Commit_replaces_the_hold_with_the_actual_amount_even_above_the_limit()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.Reserve("r", Budgets.Cost(8m));

        var released = account.Commit("r", new Amount(12.5m, 0, 1));

        Assert.Equal(8m, released.Cost);
        Assert.Equal(12.5m, account.Spent.Cost);
        Assert.Equal(0m, account.Reserved.Cost);
        Assert.Equal(0m, account.Status().Cost.Remaining);
        Assert.Equal(BudgetState.Blocked, account.Status().State);
    }

    [Fact]
    public void Expired_holds_free_themselves_on_the_next_advance()
    {
        var account = Account(Budgets.Define(cost: 10m));
        account.Reserve("r", Budgets.Cost(8m), expiresAt: Now.AddMinutes(5));

        Assert.False(account.Advance(Now.AddMinutes(4)));
        Assert.True(account.Advance(Now.AddMinutes(5)));
        Assert.Equal(Tally.Zero, account.Reserved);
        Assert.Null(account.NextExpiry);
    }

    [Fact]
    public void Soft_budget_never_blocks_but_reports_its_state()
    {
        var account = Account(Budgets.Define(cost: 10m, mode: EnforcementMode.Soft));
        account.Charge(new Amount(15m, 0, 0));

        var verdict = account.Evaluate(Budgets.Cost(5m), 0);
        Assert.Equal(Decision.Warn, verdict.Decision);
        Assert.Null(verdict.ThrottleFactor);
        Assert.Equal(BudgetState.Blocked, verdict.Status.State);
        Assert.Equal(HoldDecision.Granted, account.TryHold("r", Budgets.Cost(5m)));
    }

    [Fact]
    public void Each_limited_metric_is_enforced_on_its_own()
    {
        var account = Account(Budgets.Define(tokens: 1000, operations: 3));

        Assert.Equal(Decision.Block, account.Evaluate(new Amount(0m, 1001, 1), 0).Decision);
        account.Charge(new Amount(1_000_000m, 10, 3)); // cost is not limited
        Assert.Equal(Decision.Block, account.Evaluate(new Amount(0m, 0, 1), 0).Decision);
        Assert.Null(account.Status().Cost.Limit);
        Assert.Equal(1_000_000m, account.Status().Cost.Spent);
    }

    [Fact]
    public void Throttle_factor_falls_from_one_to_zero_across_the_throttle_band()
    {
        var account = Account(Budgets.Define(cost: 100m));
        account.Charge(new Amount(95m, 0, 0));

        var verdict = account.Evaluate(Amount.Zero, 0);
        Assert.Equal(Decision.Throttle, verdict.Decision);
        Assert.Equal(0.5m, verdict.ThrottleFactor);
    }

    [Fact]
    public void A_budget_with_a_downgrade_model_suggests_it_from_the_throttle_threshold()
    {
        var account = Account(Budgets.Define(cost: 100m, downgradeTo: "gpt-4o-mini"));
        account.Charge(new Amount(91m, 0, 0));

        var verdict = account.Evaluate(Amount.Zero, 0);
        Assert.Equal(Decision.Downgrade, verdict.Decision);
        Assert.Equal("gpt-4o-mini", verdict.DowngradeTo);
    }

    [Fact]
    public void Background_work_is_refused_from_the_throttle_threshold()
    {
        var account = Account(Budgets.Define(cost: 100m));
        account.Charge(new Amount(89m, 0, 0));

        Assert.Equal(Decision.Block, account.Evaluate(Budgets.Cost(2m), priority: -1).Decision);
        Assert.Equal(Decision.Throttle, account.Evaluate(Budgets.Cost(2m), priority: 0).Decision);
    }

    [Fact]
    public void Block_threshold_above_one_allows_an_agreed_overrun()
    {
        var account = Account(Budgets.Define(cost: 100m, thresholds: new Thresholds(0.5m, 0.8m, 1.1m)));
        account.Charge(new Amount(105m, 0, 0));

        Assert.NotEqual(Decision.Block, account.Evaluate(Budgets.Cost(5m), 0).Decision);
        Assert.Equal(Decision.Block, account.Evaluate(Budgets.Cost(5.000001m), 0).Decision);
    }

    [Fact]
    public void A_zero_limit_admits_nothing()
    {
        var account = Account(Budgets.Define(cost: 0m));

        Assert.Equal(Decision.Block, account.Evaluate(Budgets.Cost(0.000001m), 0).Decision);
        Assert.Equal(BudgetState.Blocked, account.Status().State);
    }

    [Fact]
    public void Rollover_files_every_period_that_passed_once_and_keeps_holds()
    {
        var account = Account(Budgets.Define(cost: 100m, period: PeriodType.Daily, timeZone: "Europe/Paris"));
        account.Charge(new Amount(40m, 10, 2));
        account.Reserve("r", Budgets.Cost(5m), expiresAt: Now.AddDays(3));

        // Three days later, in one call: the day that was closed and the two nobody called in, each once,
        // as if the budget had been called every day (a replay from the ledger files the same history).
        Assert.True(account.Advance(Now.AddDays(3).AddHours(-1)));
        Assert.False(account.Advance(Now.AddDays(3).AddHours(-1)));

        Assert.Equal([0m, 0m, 40m], account.History.Select(h => h.Spent.Cost));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero), account.History[^1].PeriodStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero), account.History[0].PeriodStart);
        Assert.Equal(Tally.Zero, account.Spent);
        Assert.Equal(5m, account.Reserved.Cost);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero), account.Period.Start);
    }

    [Fact]
    public void Redefining_the_limits_keeps_the_spend_of_the_period()
    {
        var account = Account(Budgets.Define(cost: 100m));
        account.Charge(new Amount(60m, 0, 0));

        account.Redefine(Budgets.Define(cost: 50m), Now);

        Assert.Equal(60m, account.Spent.Cost);
        Assert.Equal(BudgetState.Blocked, account.Status().State);
        Assert.Empty(account.History);
    }

    [Fact]
    public void Changing_the_period_closes_the_current_one()
    {
        var account = Account(Budgets.Define(cost: 100m, period: PeriodType.Monthly));
        account.Charge(new Amount(60m, 0, 0));

        account.Redefine(Budgets.Define(cost: 100m, period: PeriodType.Daily), Now);

        Assert.Equal(60m, Assert.Single(account.History).Spent.Cost);
        Assert.Equal(0m, account.Spent.Cost);
    }

    [Fact]
    public void Restore_brings_back_spend_holds_and_history_and_catches_up_with_time()
    {
        var definition = Budgets.Define(cost: 100m, period: PeriodType.Daily);
        var period = PeriodCalendar.PeriodContaining(definition.Period, Now, Now);
        var holds = new Dictionary<string, Hold> { ["r"] = new(Budgets.Cost(5m), Now.AddMinutes(1)) };

        var later = Now.AddDays(1);
        var account = BudgetAccount.Restore(new BudgetSnapshotData(definition, Now, period, new Tally(30m, 0, 0), holds, [], 7, [9], []), later);
        Assert.Equal(7, account.Watermark);
        Assert.Equal([9L], account.AppliedAbove);

        Assert.True(account.Advance(later));
        Assert.Equal(30m, Assert.Single(account.History).Spent.Cost);
        Assert.Equal(Tally.Zero, account.Reserved); // the hold expired while the grain was away
    }
}
