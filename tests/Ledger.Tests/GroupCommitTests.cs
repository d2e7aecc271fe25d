using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>Concurrent appends share transactions, and each caller hears back only once its entry is committed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GroupCommitTests(PostgresFixture database)
{
    private readonly string tenant = Entries.NewTenant();

    [Fact]
    public async Task Appends_queued_while_a_batch_is_in_flight_share_the_next_transaction_and_wait_for_its_commit()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        Task<AppendResult> first;
        Task<AppendResult>[] queued;
        await using (var blocker = await WriterLockBlocker.TakeAsync(database.ConnectionString))
        {
            first = ledger.AppendAsync(Entries.Usage(tenant, "first", "month"));
            await blocker.WaitForBlockedWriterAsync();
            queued = [.. Enumerable.Range(0, 300).Select(i => ledger.AppendAsync(Entries.Usage(tenant, $"u{i}", "month")))];

            // The first batch cannot commit while the lock is held: nobody has been answered.
            Assert.False(first.IsCompleted);
            Assert.DoesNotContain(queued, t => t.IsCompleted);
            Assert.Equal(0, ledger.BatchesWritten);
        }

        await first;
        var answers = await Task.WhenAll(queued);

        Assert.Equal(2, ledger.BatchesWritten);
        Assert.Equal(301, ledger.EntriesWritten);
        Assert.All(answers, a => Assert.False(a.Duplicate));
        Assert.Equal(301, (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Count);
    }

    [Fact]
    public async Task A_batch_carries_at_most_the_configured_number_of_entries()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString, new LedgerOptions { MaxBatchSize = 10 });
        Task<AppendResult> first;
        Task<AppendResult>[] queued;
        await using (var blocker = await WriterLockBlocker.TakeAsync(database.ConnectionString))
        {
            first = ledger.AppendAsync(Entries.Usage(tenant, "first", "month"));
            await blocker.WaitForBlockedWriterAsync();
            queued = [.. Enumerable.Range(0, 35).Select(i => ledger.AppendAsync(Entries.Usage(tenant, $"u{i}", "month")))];
        }

        await first;
        await Task.WhenAll(queued);

        Assert.Equal(1 + 4, ledger.BatchesWritten); // 1, then 10 + 10 + 10 + 5
        Assert.Equal(36, (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Count);
    }

    [Fact]
    public async Task Within_one_batch_the_first_append_of_a_key_wins_and_the_others_are_its_duplicates()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var stored = await ledger.AppendAsync(Entries.Usage(tenant, "stored", "month"));
        var fresh = Entries.Usage(tenant, "fresh", "month");
        var batchesBefore = ledger.BatchesWritten;
        Task<AppendResult> first;
        Task<AppendResult>[] sameBatch;
        await using (var blocker = await WriterLockBlocker.TakeAsync(database.ConnectionString))
        {
            first = ledger.AppendAsync(Entries.Usage(tenant, "first", "month"));
            await blocker.WaitForBlockedWriterAsync();
            sameBatch =
            [
                ledger.AppendAsync(fresh),
                ledger.AppendAsync(fresh with { Fingerprint = "second" }),
                ledger.AppendAsync(stored.Record.Entry with { Fingerprint = "retry of a stored key" }),
                ledger.AppendAsync(stored.Record.Entry with { Fingerprint = "another retry" }),
                ledger.AppendAsync(fresh with { Fingerprint = "third" }),
            ];
        }

        await first;
        var answers = await Task.WhenAll(sameBatch);

        Assert.Equal(batchesBefore + 2, ledger.BatchesWritten);
        Assert.Equal([false, true, true, true, true], answers.Select(a => a.Duplicate));
        Assert.All([answers[1], answers[4]], a => Assert.Equal(answers[0].Record.Sequence, a.Record.Sequence));
        Assert.All([answers[1], answers[4]], a => Assert.Equal(fresh.Fingerprint, a.Record.Entry.Fingerprint));
        Assert.All([answers[2], answers[3]], a => Assert.Equal(stored.Record.Sequence, a.Record.Sequence));
        Assert.All([answers[2], answers[3]], a => Assert.Equal(stored.Record.Entry.Fingerprint, a.Record.Entry.Fingerprint));
        Assert.Equal(fresh.Fingerprint, (await ledger.FindAsync(tenant, fresh.EntryKey))!.Entry.Fingerprint);
    }

    [Fact]
    public async Task Two_thousand_concurrent_appends_take_far_fewer_transactions()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var entries = Enumerable.Range(0, 2_000).Select(i => Entries.Usage(tenant, $"u{i}", "month", $"user-{i % 10}")).ToList();

        var answers = await Task.WhenAll(entries.Select(e => ledger.AppendAsync(e)));

        Assert.All(answers, a => Assert.False(a.Duplicate));
        Assert.Equal(2_000, ledger.EntriesWritten);
        Assert.InRange(ledger.BatchesWritten, 4, 2_000 / 10); // at most 512 per batch
        Assert.Equal(2_000, (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Count);
        Assert.Equal(200, (await ledger.ReadForBudgetAsync(tenant, "user-3", 0)).Count);
    }
}
