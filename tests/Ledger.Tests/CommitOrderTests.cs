using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// Two ledgers on one database, as two silos would have, each writing two tenants that lie in
/// different partitions: within a partition sequence numbers still follow commit order, so a
/// reader of a budget that has seen sequence N never later finds a new entry of that budget below
/// N — which is what makes "replay after the watermark" lose nothing. (Across partitions nothing
/// is promised, and nothing here asks for it.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CommitOrderTests(PostgresFixture database)
{
    private const int CallersPerSilo = 8;
    private const int AppendsPerCaller = 60;

    [Fact]
    public async Task Readers_of_two_concurrently_writing_ledgers_never_see_an_entry_of_a_budget_appear_below_what_they_have_seen()
    {
        var first = Entries.NewTenant();
        var second = Entries.NewTenant(partition => partition != LedgerPartitions.Of(first));
        string[] tenants = [first, second];
        await using var siloA = new PostgresSpendLedger(database.ConnectionString);
        await using var siloB = new PostgresSpendLedger(database.ConnectionString);
        await using var reader = new PostgresSpendLedger(database.ConnectionString);
        using var writersDone = new CancellationTokenSource();

        var observing = tenants.Select(tenant => Task.Run(() => ObserveAsync(reader, tenant, writersDone.Token))).ToList();
        var writing = Task.WhenAll(
            Enumerable.Range(0, CallersPerSilo).Select(c => AppendManyAsync(siloA, $"a{c}", tenants[c % 2]))
                .Concat(Enumerable.Range(0, CallersPerSilo).Select(c => AppendManyAsync(siloB, $"b{c}", tenants[c % 2]))));
        var appended = (await writing).SelectMany(sequences => sequences).ToList();
        writersDone.Cancel();

        Assert.Equal(2 * CallersPerSilo * AppendsPerCaller, appended.Select(a => a.Sequence).Distinct().Count());
        Assert.True(siloA.BatchesWritten > 0 && siloB.BatchesWritten > 0, "both silos wrote");
        for (var t = 0; t < tenants.Length; t++)
        {
            var (snapshots, replayed) = await observing[t];
            var ofTenant = appended.Where(a => a.Tenant == tenants[t]).Select(a => a.Sequence).Order().ToList();
            Assert.Equal(CallersPerSilo * AppendsPerCaller, ofTenant.Count);

            // Every snapshot of the budget is the previous one plus entries above the previous maximum.
            for (var i = 1; i < snapshots.Count; i++)
            {
                var before = snapshots[i - 1];
                var seenUpTo = before.Count == 0 ? 0 : before[^1];
                Assert.Equal(before, snapshots[i].TakeWhile(s => s <= seenUpTo));
            }

            // A reader that only ever asks for what is after its watermark, as a budget grain replays,
            // ends up with every entry, each once.
            Assert.Equal(ofTenant, replayed);
            Assert.Equal(ofTenant, snapshots[^1]);
        }
    }

    private static async Task<(string Tenant, long Sequence)[]> AppendManyAsync(PostgresSpendLedger silo, string caller, string tenant)
    {
        await Task.Yield();
        var sequences = new (string, long)[AppendsPerCaller];
        for (var i = 0; i < AppendsPerCaller; i++)
        {
            sequences[i] = (tenant, (await silo.AppendAsync(Entries.Usage(tenant, $"{caller}-{i}", "shared"))).Record.Sequence);
        }

        return sequences;
    }

    private static async Task<(List<List<long>> Snapshots, List<long> Replayed)> ObserveAsync(ISpendLedger reader, string tenant, CancellationToken writersDone)
    {
        var snapshots = new List<List<long>>();
        var replayed = new List<long>();
        var watermark = 0L;
        var lastRound = false;
        while (!lastRound)
        {
            lastRound = writersDone.IsCancellationRequested; // one more round once every append has been answered
            snapshots.Add([.. (await reader.ReadForBudgetAsync(tenant, "shared", 0)).Select(r => r.Sequence)]);
            foreach (var record in await reader.ReadForBudgetAsync(tenant, "shared", watermark))
            {
                replayed.Add(record.Sequence);
                watermark = record.Sequence;
            }
        }

        return (snapshots, replayed);
    }
}
