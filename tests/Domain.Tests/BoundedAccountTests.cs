using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BudgetActors.Domain.Tests;

/// <summary>An account's memory and snapshot stay bounded whatever its callers do, and totals never wrap.</summary>
public class BoundedAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_million_operations_with_late_commits_and_abandoned_holds_leave_a_small_snapshot()
    {
        var account = new BudgetAccount(Budgets.Define(cost: 1_000_000_000m, mode: EnforcementMode.Soft), Now, Now);
        var sequence = 0L;
        var now = Now;
        for (var i = 0; i < 250_000; i++)
        {
            // A reservation held and confirmed, left to expire, and committed late (after expiry); an
            // abandoned one nobody commits; a usage; the watermark moving as catch-ups would move it.
            var id = $"res-{i}";
            account.TryHold(new HoldRequest(id, Budgets.Cost(1m), 0, now.AddSeconds(1)), now.AddSeconds(30));
            var hold = ++sequence;
            account.Apply(new SpendEvent(hold, LedgerEntryKind.Hold, id, Budgets.Cost(1m), now.AddSeconds(1), now));
            if (account.TryHold(new HoldRequest($"abandoned-{i}", Budgets.Cost(1m), 0, now.AddDays(7)), now.AddSeconds(30)).Decision == HoldDecision.Granted)
            {
                account.Apply(new SpendEvent(++sequence, LedgerEntryKind.Hold, $"abandoned-{i}", Budgets.Cost(1m), now.AddDays(7), now));
            }
            now = now.AddSeconds(2);
            account.Advance(now);
            account.Apply(new SpendEvent(++sequence, LedgerEntryKind.Commit, id, Budgets.Cost(0.5m), null, now, HoldSequence: hold));
            account.Apply(new SpendEvent(++sequence, LedgerEntryKind.Usage, null, Budgets.Cost(0.25m), null, now));
            if (i % 100 == 0)
            {
                account.AdvanceWatermark(sequence);
            }
        }

        account.AdvanceWatermark(sequence);
        var bytes = Serializer().SerializeToArray(account.Snapshot());

        Assert.Empty(account.ClosedBeforeHold); // commits after expiry leave no markers behind
        Assert.InRange(account.Holds.Count, BudgetAccount.MaxOpenHolds - 1, BudgetAccount.MaxOpenHolds); // abandoned holds stop at the cap
        Assert.True(bytes.Length < 1_500_000, $"the snapshot is {bytes.Length} bytes");
        Console.WriteLine($"Snapshot after 1,000,000 operations: {bytes.Length:N0} bytes, {account.Holds.Count:N0} open holds.");
        Assert.Equal(250_000 * 0.75m, account.Spent.Cost);
    }

    [Fact]
    public void Past_the_cap_of_open_holds_a_budget_refuses_more_until_some_close()
    {
        var account = new BudgetAccount(Budgets.Define(cost: 1_000_000m, mode: EnforcementMode.Soft), Now, Now);
        for (var i = 0; i < BudgetAccount.MaxOpenHolds; i++)
        {
            Assert.Equal(HoldDecision.Granted, account.TryHold($"r{i}", Budgets.Cost(1m)));
        }

        Assert.Equal(HoldDecision.Refused, account.TryHold("one-more", Budgets.Cost(1m)));
        account.Undo("r0");
        Assert.Equal(HoldDecision.Granted, account.TryHold("one-more", Budgets.Cost(1m)));
    }

    [Fact]
    public void Many_holds_expire_exactly_when_due_whatever_order_they_came_and_went_in()
    {
        var account = new BudgetAccount(Budgets.Define(cost: 1_000_000m), Now, Now);
        var random = new Random(7);
        var expiries = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < 5000; i++)
        {
            var expiresAt = Now.AddSeconds(random.Next(1, 3600));
            expiries[$"r{i}"] = expiresAt;
            account.Reserve($"r{i}", Budgets.Cost(1m), expiresAt: expiresAt);
        }

        foreach (var id in expiries.Keys.Where((_, i) => i % 3 == 0).ToList())
        {
            account.Release(id);
            expiries.Remove(id);
        }

        for (var t = 0; t <= 3600; t += 60)
        {
            var at = Now.AddSeconds(t);
            account.Advance(at);
            Assert.Equal(expiries.Count(e => e.Value > at), account.Holds.Count);
        }

        Assert.Null(account.NextExpiry);
    }

    [Fact]
    public void Nine_thousand_usages_of_a_quadrillion_tokens_add_up_exactly_and_the_budget_stays_blocked()
    {
        var account = new BudgetAccount(Budgets.Define(tokens: 1_000_000_000_000_000L, operations: 1_000_000_000_000_000L), Now, Now);
        for (var i = 0; i < 9_224; i++)
        {
            account.Charge(new Amount(0m, 1_000_000_000_000_000L, 1_000_000_000_000_000L));
        }

        Assert.Equal(9_224_000_000_000_000_000m, account.Spent.Tokens);
        Assert.Equal(9_224_000_000_000_000_000m, account.Status().Operations.Spent);
        Assert.Equal(Decision.Block, account.Evaluate(new Amount(0m, 1, 1), 0).Decision);
        Assert.Equal(BudgetState.Blocked, account.Status().State);
    }

    private static Serializer Serializer() => new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
}
