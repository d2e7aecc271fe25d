using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// Two ledgers on one database, as two silos would have: sequence numbers still follow commit
/// order, so a reader that has seen sequence N never later finds a new entry below N — which is
/// what makes "replay after the watermark" lose nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CommitOrderTests(PostgresFixture database)
{
    private const int CallersPerSilo = 8;
    private const int AppendsPerCaller = 60;

    private readonly string tenant = Entries.NewTenant();

    [Fact]
    public async Task Readers_of_two_concurrently_writing_ledgers_never_see_an_entry_appear_below_what_they_have_seen()
    {
        await using var siloA = new PostgresSpendLedger(database.ConnectionString);
        await using var siloB = new PostgresSpendLedger(database.ConnectionString);
        await using var reader = new PostgresSpendLedger(database.ConnectionString);
        using var writersDone = new CancellationTokenSource();

        var observing = Task.Run(() => ObserveAsync(reader, writersDone.Token));
        var writing = Task.WhenAll(
            Enumerable.Range(0, CallersPerSilo).Select(c => AppendManyAsync(siloA, $"a{c}"))
                .Concat(Enumerable.Range(0, CallersPerSilo).Select(c => AppendManyAsync(siloB, $"b{c}"))));
        var appended = (await writing).SelectMany(sequences => sequences).ToHashSet();
        writersDone.Cancel();
        var (snapshots, replayed) = await observing;

        Assert.Equal(2 * CallersPerSilo * AppendsPerCaller, appended.Count);
        Assert.True(siloA.BatchesWritten > 0 && siloB.BatchesWritten > 0, "both silos wrote");

        // Every snapshot of the budget is the previous one plus entries above the previous maximum.
        for (var i = 1; i < snapshots.Count; i++)
        {
            var before = snapshots[i - 1];
            var seenUpTo = before.Count == 0 ? 0 : before[^1];
            Assert.Equal(before, snapshots[i].TakeWhile(s => s <= seenUpTo));
        }

        // A reader that only ever asks for what is after its watermark, as a budget grain replays,
        // ends up with every entry, each once.
        Assert.Equal(appended.Order(), replayed);
        Assert.Equal(appended.Order(), snapshots[^1]);
    }

    private async Task<long[]> AppendManyAsync(PostgresSpendLedger silo, string caller)
    {
        await Task.Yield();
        var sequences = new long[AppendsPerCaller];
        for (var i = 0; i < AppendsPerCaller; i++)
        {
            sequences[i] = (await silo.AppendAsync(Entries.Usage(tenant, $"{caller}-{i}", "shared"))).Record.Sequence;
        }

        return sequences;
    }

    private async Task<(List<List<long>> Snapshots, List<long> Replayed)> ObserveAsync(ISpendLedger reader, CancellationToken writersDone)
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
