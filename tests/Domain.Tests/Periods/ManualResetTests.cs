namespace BudgetActors.Domain.Tests.Periods;

/// <summary>
/// Manual resets: the current period closes at the reset's time into a record marked as a reset, and
/// the rest of it starts afresh. The cut is the reset's place in the ledger, so an account that applies
/// the entries as they were delivered and one that replays them in ledger order agree.
/// </summary>
public class ManualResetTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static BudgetDefinition Daily(CarryOverPolicy? carryOver = null) =>
        Budgets.Define(cost: 100m, period: PeriodType.Daily) with { CarryOver = carryOver };

    private static BudgetAccount Account(BudgetDefinition definition) => new(definition, Midnight, Midnight.AddHours(1));

    [Fact]
    public void A_reset_closes_the_period_now_with_its_reason_and_the_rest_of_it_runs_to_the_boundary_keeping_holds()
    {
        var account = Account(Daily());
        account.Usage(Spend.Cost(40m), Midnight.AddHours(10));
        account.Reserve("r", Spend.Cost(5m), expiresAt: Midnight.AddDays(1));

        account.Reset(Midnight.AddHours(12), "new budget owner");

        var closed = Assert.Single(account.History);
        Assert.Equal((Midnight, Midnight.AddHours(12), 40m), (closed.PeriodStart, closed.PeriodEnd, closed.Spent.Cost));
        Assert.True(closed.ManualReset);
        Assert.Equal("new budget owner", closed.Reason);
        Assert.Equal(new Period(Midnight.AddHours(12), Midnight.AddDays(1)), account.Period);
        Assert.Equal(Tally.Zero, account.Spent);
        Assert.Equal(5m, account.Reserved.Cost);

        account.Usage(Spend.Cost(7m), Midnight.AddHours(13));
        account.Advance(Midnight.AddDays(1));
        Assert.Equal(2, account.History.Count);
        Assert.Equal((Midnight.AddHours(12), Midnight.AddDays(1), 7m, PeriodCloseKind.Rollover),
            (account.History[0].PeriodStart, account.History[0].PeriodEnd, account.History[0].Spent.Cost, account.History[0].Closed));
    }

    [Fact]
    public void Spend_written_before_the_reset_is_in_its_record_and_spend_written_after_it_in_the_rest_in_any_delivery()
    {
        var reset = Midnight.AddHours(12);
        var entries = new[]
        {
            Spend.UsageEntry(Spend.Cost(1m), reset.AddHours(-2), sequence: 10),
            Spend.UsageEntry(Spend.Cost(2m), reset.AddSeconds(1), sequence: 11), // written before the reset, recorded just after its time
            Spend.ResetEntry(reset, "cut", sequence: 12),
            Spend.UsageEntry(Spend.Cost(4m), reset.AddSeconds(-1), sequence: 13), // written after, recorded before: late spend of the record
            Spend.UsageEntry(Spend.Cost(8m), reset.AddSeconds(2), sequence: 14),
        };

        var replayed = Account(Daily());
        foreach (var entry in entries)
        {
            replayed.Apply(entry);
        }

        // As delivered: the reset first (spend written before it was still on its way), the rest after.
        var live = Account(Daily());
        foreach (var index in new[] { 2, 4, 1, 3, 0 })
        {
            live.Apply(entries[index]);
        }

        foreach (var account in new[] { replayed, live })
        {
            var closed = Assert.Single(account.History);
            Assert.Equal(7m, closed.Spent.Cost);
            Assert.Equal(8m, account.Spent.Cost);
            Assert.Equal(closed.Spent.Cost + account.Spent.Cost, entries.Sum(e => e.Amount.Cost));
        }

        Assert.Equal(replayed.History, live.History);
    }

    [Fact]
    public void A_replay_from_a_snapshot_taken_before_the_reset_gives_the_same_account()
    {
        var live = Account(Daily());
        live.Usage(Spend.Cost(10m), Midnight.AddHours(9), sequence: 20);
        var snapshot = live.Snapshot();
        var later = new[]
        {
            Spend.ResetEntry(Midnight.AddHours(12), "restart", sequence: 22),
            Spend.UsageEntry(Spend.Cost(3m), Midnight.AddHours(11), sequence: 21),
            Spend.UsageEntry(Spend.Cost(5m), Midnight.AddHours(13), sequence: 23),
        };
        foreach (var entry in later)
        {
            live.Apply(entry);
        }

        var replayed = BudgetAccount.Restore(snapshot, Midnight.AddHours(14));
        foreach (var entry in later.OrderBy(e => e.Sequence))
        {
            replayed.Apply(entry);
        }

        Assert.Equal(live.History, replayed.History);
        Assert.Equal(live.Spent, replayed.Spent);
        Assert.Equal(live.Period, replayed.Period);
        Assert.Equal(13m, live.History[0].Spent.Cost);
    }

    [Fact]
    public void A_reset_written_as_the_period_ended_cuts_the_record_the_rollover_closed()
    {
        var end = Midnight.AddDays(1);
        var live = Account(Daily());
        live.Usage(Spend.Cost(30m), Midnight.AddHours(20), sequence: 30);
        live.Advance(end.AddSeconds(1)); // the clock rolled the day over while the reset was being written
        live.Reset(end.AddSeconds(-1), "end of sprint", sequence: 31);
        live.Usage(Spend.Cost(2m), end.AddSeconds(-0.5), sequence: 32);

        var replayed = Account(Daily());
        replayed.Usage(Spend.Cost(30m), Midnight.AddHours(20), sequence: 30);
        replayed.Reset(end.AddSeconds(-1), "end of sprint", sequence: 31);
        replayed.Usage(Spend.Cost(2m), end.AddSeconds(-0.5), sequence: 32);
        replayed.Advance(end.AddSeconds(1));

        Assert.Equal(replayed.History, live.History);
        Assert.Equal(2, live.History.Count);
        Assert.Equal((end.AddSeconds(-1), end, 2m), (live.History[0].PeriodStart, live.History[0].PeriodEnd, live.History[0].Spent.Cost));
        Assert.Equal((Midnight, end.AddSeconds(-1), 30m, "end of sprint"),
            (live.History[1].PeriodStart, live.History[1].PeriodEnd, live.History[1].Spent.Cost, live.History[1].Reason));
    }

    [Fact]
    public void Late_usage_lands_in_the_custom_period_or_reset_record_of_its_time_and_not_in_the_current_period()
    {
        var start = new DateTimeOffset(2026, 10, 19, 9, 0, 0, TimeSpan.FromHours(2));
        var definition = Budgets.Define(cost: 100m) with { Period = new PeriodSpec(PeriodType.Custom, "Europe/Paris", start, 7 * 1440) };
        var account = new BudgetAccount(definition, start, start);
        account.Usage(Spend.Cost(10m), start.AddDays(2));

        // The week spanning the fall-back change ends at 09:00 CET on the 26th (08:00 UTC): 169 hours.
        var weekEnd = new DateTimeOffset(2026, 10, 26, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(weekEnd, account.Period.End);
        account.Advance(weekEnd.AddHours(3));
        account.Usage(Spend.Cost(20m), weekEnd.AddHours(2));
        account.Reset(weekEnd.AddHours(3), "reset");

        account.Usage(Spend.Cost(1m), start.AddDays(5)); // the first week's
        account.Usage(Spend.Cost(2m), weekEnd.AddHours(1)); // before the reset, in this week
        account.Usage(Spend.Cost(4m), weekEnd.AddHours(4)); // after the reset

        Assert.Equal(4m, account.Spent.Cost);
        Assert.Equal((weekEnd.AddHours(3), 22m, true), (account.History[0].PeriodEnd, account.History[0].Spent.Cost, account.History[0].ManualReset));
        Assert.Equal((start.ToUniversalTime(), weekEnd, 11m), (account.History[1].PeriodStart, account.History[1].PeriodEnd, account.History[1].Spent.Cost));
        Assert.Equal(TimeSpan.FromHours(169), account.History[1].PeriodEnd - account.History[1].PeriodStart);
    }

    [Fact]
    public void A_reset_of_a_rolling_window_files_its_spend_and_the_window_restarts_from_then()
    {
        var noon = Midnight.AddHours(12);
        var definition = Budgets.Define(cost: 100m) with { Period = new PeriodSpec(PeriodType.Rolling, "UTC", WindowMinutes: 60) };
        var account = new BudgetAccount(definition, noon, noon);
        account.Usage(Spend.Cost(30m), noon.AddMinutes(10));

        account.Reset(noon.AddMinutes(20), "window reset");

        var closed = Assert.Single(account.History);
        // The window as it stood at the reset: from its oldest bucket (12:20 − 60 min) to the reset.
        Assert.Equal((noon.AddMinutes(-40), noon.AddMinutes(20), 30m), (closed.PeriodStart, closed.PeriodEnd, closed.Spent.Cost));
        Assert.Equal(0m, account.Spent.Cost);
        account.Usage(Spend.Cost(5m), noon.AddMinutes(25));
        account.Advance(noon.AddMinutes(40));
        Assert.Equal(noon.AddMinutes(20), account.Status().PeriodStart); // the window starts at the reset until it passes it
        Assert.Equal(5m, account.Status().Cost.Spent);
        account.Advance(noon.AddMinutes(90));
        Assert.Equal(noon.AddMinutes(30), account.Status().PeriodStart);
    }

    [Fact]
    public void Carry_over_stays_with_the_rest_of_a_reset_period()
    {
        var account = Account(Daily(new CarryOverPolicy(Unused: true, UnusedCap: 0.5m, Overage: true)));
        account.Usage(Spend.Cost(30m), Midnight.AddHours(5));
        account.Advance(Midnight.AddDays(1)); // 50 carried in
        account.Usage(Spend.Cost(120m), Midnight.AddDays(1).AddHours(6));

        account.Reset(Midnight.AddDays(1).AddHours(12), "reset");
        Assert.Equal(150m, account.Status().Cost.Limit);
        Assert.Equal((50m, 50m), (account.History[0].CarriedIn!.Cost, account.History[0].CarriedOut!.Cost));

        account.Usage(Spend.Cost(100m), Midnight.AddDays(1).AddHours(13)); // 50 of the rest unused
        account.Advance(Midnight.AddDays(2));
        Assert.Equal(150m, account.Status().Cost.Limit);
        Assert.Equal(50m, account.History[0].CarriedOut!.Cost);
    }
}
