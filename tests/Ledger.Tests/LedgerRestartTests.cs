using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>What a ledger wrote outlives it: a new ledger on the same database (a restarted silo) sees it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LedgerRestartTests(PostgresFixture database)
{
    private readonly string tenant = Entries.NewTenant();

    [Fact]
    public async Task A_retry_after_a_restart_is_a_duplicate_answered_with_the_first_entry()
    {
        var first = Entries.Commit(tenant, "r1", "month", "alice-day");
        AppendResult original;
        await using (var before = new PostgresSpendLedger(database.ConnectionString))
        {
            original = await before.AppendAsync(first);
        }

        await using var after = new PostgresSpendLedger(database.ConnectionString);
        var retry = await after.AppendAsync(first with { Fingerprint = "the retry", Amount = new Amount(1m, 1, 1) });

        Assert.True(retry.Duplicate);
        Assert.Equal(original.Record.Sequence, retry.Record.Sequence);
        Entries.AssertSame(first, retry.Record.Entry);
        Entries.AssertSame(first, (await after.FindAsync(tenant, first.EntryKey))!.Entry);
        Assert.Single(await after.ReadForBudgetAsync(tenant, "alice-day", 0));
    }

    [Fact]
    public async Task Disposing_a_ledger_writes_what_is_queued_and_refuses_later_appends()
    {
        var ledger = new PostgresSpendLedger(database.ConnectionString);
        var queued = Enumerable.Range(0, 200).Select(i => ledger.AppendAsync(Entries.Usage(tenant, $"u{i}", "month"))).ToList();

        await ledger.DisposeAsync();

        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ledger.AppendAsync(Entries.Usage(tenant, "late", "month")));
        await using var after = new PostgresSpendLedger(database.ConnectionString);
        Assert.Equal(queued.Select(t => t.Result.Record.Sequence).Order(),
            (await after.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
    }
}
