using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// Writers take the lock of each partition they write, not one lock for all: a writer that holds a
/// partition (here a transaction left open, as a slow writer in another silo would) makes writers
/// of that partition wait, and nobody else. Outcomes, not timings: the other append is answered
/// while the lock is still held, and takes a sequence before the waiting one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PartitionLockTests(PostgresFixture database)
{
    // Only a guard against a hang: the appends that must get through do so in milliseconds.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_writer_holding_one_partition_does_not_stall_another_silo_writing_another_partition()
    {
        var held = Entries.NewTenant();
        var other = Entries.NewTenant(partition => partition != LedgerPartitions.Of(held));
        await using var siloA = new PostgresSpendLedger(database.ConnectionString);
        await using var siloB = new PostgresSpendLedger(database.ConnectionString);

        Task<AppendResult> waiting;
        AppendResult through;
        await using (var blocker = await WriterLockBlocker.TakePartitionAsync(database.ConnectionString, held))
        {
            waiting = siloA.AppendAsync(Entries.Usage(held, "waits", "month"));
            await blocker.WaitForBlockedWriterAsync();

            through = await siloB.AppendAsync(Entries.Usage(other, "gets-through", "month")).WaitAsync(Guard);

            Assert.True(await blocker.HoldsAsync(), "the partition's lock is still held");
            Assert.False(waiting.IsCompleted, "the writer of the held partition waits for it");
        }

        var waited = await waiting.WaitAsync(Guard);
        Assert.True(through.Record.Sequence < waited.Record.Sequence, "the other partition's entry committed first, while the lock was held");
        Assert.Equal([through.Record.Sequence], (await siloA.ReadForBudgetAsync(other, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([waited.Record.Sequence], (await siloB.ReadForBudgetAsync(held, "month", 0)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Within_one_ledger_a_held_partition_does_not_stall_a_partition_of_another_writer_loop()
    {
        var options = new LedgerOptions { Writers = 2 };
        var held = Entries.NewTenant();
        var other = Entries.NewTenant(partition => partition % options.Writers != LedgerPartitions.Of(held) % options.Writers);
        await using var ledger = new PostgresSpendLedger(database.ConnectionString, options);

        Task<AppendResult> waiting;
        AppendResult through;
        await using (var blocker = await WriterLockBlocker.TakePartitionAsync(database.ConnectionString, held))
        {
            waiting = ledger.AppendAsync(Entries.Usage(held, "waits", "month"));
            await blocker.WaitForBlockedWriterAsync();

            through = await ledger.AppendAsync(Entries.Usage(other, "gets-through", "month")).WaitAsync(Guard);

            Assert.True(await blocker.HoldsAsync(), "the partition's lock is still held");
            Assert.False(waiting.IsCompleted, "the writer of the held partition waits for it");
        }

        Assert.True(through.Record.Sequence < (await waiting.WaitAsync(Guard)).Record.Sequence);
        Assert.Equal(2, ledger.BatchesWritten);
    }

    [Fact]
    public async Task Another_tenant_of_the_held_partition_waits_for_it_and_then_commits_after_it()
    {
        var held = Entries.NewTenant();
        var neighbour = Entries.NewTenant(partition => partition == LedgerPartitions.Of(held));
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var before = await ledger.AppendAsync(Entries.Usage(neighbour, "before", "month"));

        Task<AppendResult> waiting;
        await using (var blocker = await WriterLockBlocker.TakePartitionAsync(database.ConnectionString, held))
        {
            waiting = ledger.AppendAsync(Entries.Usage(neighbour, "waits", "month"));
            await blocker.WaitForBlockedWriterAsync(); // in PostgreSQL, on the partition's lock

            Assert.True(await blocker.HoldsAsync());
            Assert.False(waiting.IsCompleted, "a tenant shares its partition's order with every tenant of the partition");
        }

        var waited = await waiting.WaitAsync(Guard);
        Assert.True(waited.Record.Sequence > before.Record.Sequence);
    }

    [Fact]
    public async Task A_writer_of_the_version_before_partitions_still_excludes_writers_of_this_one()
    {
        // During a rolling upgrade an old silo takes the writer lock exclusively; this version takes
        // it shared, so the two never write at once and the old global order is kept with them.
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var tenant = Entries.NewTenant();

        Task<AppendResult> waiting;
        await using (var oldWriter = await WriterLockBlocker.TakeAsync(database.ConnectionString))
        {
            waiting = ledger.AppendAsync(Entries.Usage(tenant, "waits", "month"));
            await oldWriter.WaitForBlockedWriterAsync();
            Assert.True(await oldWriter.HoldsAsync());
            Assert.False(waiting.IsCompleted);
        }

        Assert.False((await waiting.WaitAsync(Guard)).Duplicate);
    }

    [Fact]
    public async Task A_batch_of_several_partitions_takes_each_lock_once_in_ascending_order()
    {
        var tenants = Enumerable.Range(0, 40).Select(_ => Entries.NewTenant()).ToList();
        var entries = tenants.Select((t, i) => Entries.Usage(t, $"u{i}", "month")).Concat(tenants.Select((t, i) => Entries.Usage(t, $"v{i}", "month"))).ToList();

        var keys = LedgerBatch.PartitionLockKeys(entries);

        var expected = tenants.Select(LedgerPartitions.Of).Distinct().Order().Select(LedgerPartitions.LockKey);
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void The_partition_of_a_tenant_is_the_same_in_every_process_and_version()
    {
        // Part of the ledger's format: if these change, writers of one database disagree on locks.
        Assert.Equal(LedgerPartitions.Of("acme"), LedgerPartitions.Of(new string("acme".ToCharArray())));
        Assert.Equal([47, 11, 53, 53], new[] { "acme", "tenant-1", "ünïcode-✓", new string('x', 300) }.Select(LedgerPartitions.Of));
        Assert.All(Enumerable.Range(0, 1000).Select(i => LedgerPartitions.Of($"t{i}")), p => Assert.InRange(p, 0, LedgerPartitions.Count - 1));
    }
}
