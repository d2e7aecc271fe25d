using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

/// <summary>
/// Budgets apply ledger entries delivered by coordinators and read back from the ledger, in any
/// order, each exactly once; a snapshot plus the entries after its watermark is the whole account.
/// </summary>
public class LedgerReplayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static BudgetAccount Account() => new(Budgets.Define(cost: 100m), Now, Now);

    private static SpendEvent Usage(long sequence, decimal cost) => new(sequence, LedgerEntryKind.Usage, null, Budgets.Cost(cost), null, Now);

    [Fact]
    public void An_entry_is_applied_once_whether_delivered_or_read_back()
    {
        var account = Account();

        Assert.Equal(ApplyOutcome.Applied, account.Apply(Usage(5, 10m)));
        Assert.Equal(ApplyOutcome.AlreadyApplied, account.Apply(Usage(5, 10m)));
        account.AdvanceWatermark(5);
        Assert.Equal(ApplyOutcome.AlreadyApplied, account.Apply(Usage(5, 10m)));
        Assert.Equal(10m, account.Spent.Cost);
    }

    [Fact]
    public void Entries_missed_by_delivery_are_caught_up_and_the_watermark_covers_them()
    {
        var account = Account();
        account.Apply(Usage(3, 1m)); // delivered out of order: 1 and 2 have not arrived

        foreach (var read in new[] { Usage(1, 10m), Usage(2, 20m), Usage(3, 1m) })
        {
            account.Apply(read);
        }

        account.AdvanceWatermark(3);
        Assert.Equal(31m, account.Spent.Cost);
        Assert.Equal(3, account.Watermark);
        Assert.Empty(account.AppliedAbove);
    }

    [Fact]
    public void A_hold_entry_makes_the_tentative_hold_firm_with_its_expiry()
    {
        var account = Account();
        account.TryHold(new HoldRequest("r", Budgets.Cost(40m), 0, Now.AddHours(1)), Now.AddSeconds(30));

        account.Apply(new SpendEvent(1, LedgerEntryKind.Hold, "r", Budgets.Cost(40m), Now.AddHours(1), Now));

        Assert.Empty(account.Tentative);
        Assert.Equal(Now.AddHours(1), account.Holds["r"].ExpiresAt);
        Assert.False(account.Undo("r")); // a firm hold is not undone, only released or committed
        Assert.Equal(40m, account.Reserved.Cost);
    }

    [Fact]
    public void Replay_restores_a_hold_that_only_the_ledger_knows()
    {
        var account = Account();

        account.Apply(new SpendEvent(1, LedgerEntryKind.Hold, "r", Budgets.Cost(40m), Now.AddHours(1), Now));

        Assert.Equal(40m, account.Reserved.Cost);
        Assert.Equal(HoldDecision.Refused, account.TryHold(new HoldRequest("x", Budgets.Cost(61m), 0, Now.AddMinutes(1)), Now.AddSeconds(30)).Decision);
    }

    [Fact]
    public void A_commit_that_arrives_before_its_hold_keeps_the_hold_from_coming_back()
    {
        var account = Account();

        account.Apply(new SpendEvent(2, LedgerEntryKind.Commit, "r", Budgets.Cost(25m), null, Now, HoldSequence: 1));
        Assert.Equal(1L, account.ClosedBeforeHold["r"]);
        account.Apply(new SpendEvent(1, LedgerEntryKind.Hold, "r", Budgets.Cost(40m), Now.AddHours(1), Now));

        Assert.Equal(25m, account.Spent.Cost);
        Assert.Equal(Tally.Zero, account.Reserved);
        Assert.Empty(account.ClosedBeforeHold);
    }

    [Fact]
    public void A_commit_that_finds_only_the_tentative_hold_keeps_the_hold_entry_from_making_it_firm_later()
    {
        var account = Account();
        account.TryHold(new HoldRequest("r", Budgets.Cost(40m), 0, Now.AddHours(1)), Now.AddSeconds(30));

        account.Apply(new SpendEvent(2, LedgerEntryKind.Commit, "r", Budgets.Cost(25m), null, Now, HoldSequence: 1));
        account.Apply(new SpendEvent(1, LedgerEntryKind.Hold, "r", Budgets.Cost(40m), Now.AddHours(1), Now));

        Assert.Equal(25m, account.Spent.Cost);
        Assert.Equal(Tally.Zero, account.Reserved);
        Assert.Equal(Tally.Zero, account.Pending);
        Assert.Equal(HoldDecision.Granted, account.TryHold(new HoldRequest("next", Budgets.Cost(75m), 0, Now.AddHours(1)), Now.AddSeconds(30)).Decision);
    }

    [Fact]
    public void Markers_of_closed_reservations_go_once_the_watermark_passes_their_hold()
    {
        var account = Account();
        for (var i = 0; i < 1000; i++)
        {
            account.Apply(new SpendEvent(2000 + i, LedgerEntryKind.Release, $"r{i}", Amount.Zero, null, Now, HoldSequence: 1000 + i));
        }

        Assert.Equal(1000, account.ClosedBeforeHold.Count);
        account.AdvanceWatermark(2999); // a catch-up read everything up to here: the holds came, or never will
        Assert.Empty(account.ClosedBeforeHold);
        Assert.Empty(account.AppliedAbove);
    }

    [Fact]
    public void Release_frees_the_hold_and_charges_nothing()
    {
        var account = Account();
        account.Apply(new SpendEvent(1, LedgerEntryKind.Hold, "r", Budgets.Cost(40m), Now.AddHours(1), Now));

        account.Apply(new SpendEvent(2, LedgerEntryKind.Release, "r", Amount.Zero, null, Now, HoldSequence: 1));

        Assert.Equal(Tally.Zero, account.Reserved);
        Assert.Equal(Tally.Zero, account.Spent);
    }

    [Fact]
    public void Snapshot_plus_the_entries_after_its_watermark_rebuilds_the_account()
    {
        var live = Account();
        live.Apply(Usage(1, 10m));
        live.Apply(new SpendEvent(2, LedgerEntryKind.Hold, "r", Budgets.Cost(30m), Now.AddHours(1), Now));
        live.AdvanceWatermark(2);
        live.Apply(Usage(4, 5m)); // delivered; 3 is still on its way
        var snapshot = live.Snapshot();

        var later = new[] { Usage(3, 1m), Usage(4, 5m), new SpendEvent(5, LedgerEntryKind.Commit, "r", Budgets.Cost(28m), null, Now, HoldSequence: 2) };
        foreach (var spend in later)
        {
            live.Apply(spend);
        }

        var rebuilt = BudgetAccount.Restore(snapshot, Now);
        foreach (var spend in later)
        {
            rebuilt.Apply(spend);
        }

        Assert.Equal(44m, live.Spent.Cost);
        Assert.Equal(live.Spent, rebuilt.Spent);
        Assert.Equal(live.Reserved, rebuilt.Reserved);
    }

    [Fact]
    public void Tentative_holds_are_not_part_of_the_snapshot()
    {
        var account = Account();
        account.TryHold(new HoldRequest("t", Budgets.Cost(40m), 0, Now.AddMinutes(5)), Now.AddSeconds(30));

        Assert.Empty(account.Snapshot().Holds);
    }

    [Fact]
    public void Spend_recorded_after_the_period_end_counts_in_the_next_period()
    {
        var account = new BudgetAccount(Budgets.Define(cost: 100m, period: PeriodType.Daily), Now, Now);
        account.Apply(Usage(1, 10m));

        account.Apply(new SpendEvent(2, LedgerEntryKind.Usage, null, Budgets.Cost(7m), null, Now.AddDays(1)));

        Assert.Equal(10m, Assert.Single(account.History).Spent.Cost);
        Assert.Equal(7m, account.Spent.Cost);
    }
}
