using System.Collections.Immutable;
using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// Spend detail, the tenant's spend records and the projector's read, on every ledger: run against
/// memory and PostgreSQL by the subclasses.
/// </summary>
public abstract class SpendRecordsBehaviourTests
{
    private static readonly SpendDetail LlmDetail = new("gpt-4o", new LlmTokenCounts(800, 100, 0, 250, 50), null, null,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("input", 0.002m), KeyValuePair.Create("cachedInput", 0.000125m), KeyValuePair.Create("output", 0.0025m), KeyValuePair.Create("reasoning", 0.0005m)]));

    private static readonly SpendDetail JobDetail = new(null, null, new JobUsage(15.2m, 2048m, 51_200, 25, 10_240), 0.5m,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("cpu", 0.30m), KeyValuePair.Create("memory", 0.0100005m), KeyValuePair.Create("base", 0.0000005m)]));

    private readonly string tenant = Entries.NewTenant();

    protected abstract ISpendLedger Ledger { get; }

    [Fact]
    public async Task A_detail_reads_back_as_it_was_written()
    {
        var usage = Entries.Usage(tenant, "u1", "month") with { Detail = LlmDetail };
        var commit = Entries.Commit(tenant, "r1", "month") with { Detail = JobDetail };
        var plain = Entries.Usage(tenant, "u2", "month");

        foreach (var entry in new[] { usage, commit, plain })
        {
            await Ledger.AppendAsync(entry);
        }

        Assert.True(LlmDetail.SameAs((await Ledger.FindAsync(tenant, "usage:u1"))!.Entry.Detail));
        Assert.True(JobDetail.SameAs((await Ledger.FindAsync(tenant, "commit:r1"))!.Entry.Detail));
        Assert.Null((await Ledger.FindAsync(tenant, "usage:u2"))!.Entry.Detail);
        var records = (await Ledger.ReadSpendAsync(new SpendQuery(tenant))).Items;
        Assert.True(LlmDetail.SameAs(records.Single(r => r.Entry.EntryKey == "usage:u1").Entry.Detail));
        Assert.True(JobDetail.SameAs(records.Single(r => r.Entry.EntryKey == "commit:r1").Entry.Detail));
    }

    [Fact]
    public async Task Records_are_the_tenants_usage_and_commits_newest_first_for_each_filter()
    {
        var at = Entries.Now;
        LedgerEntry Use(string key, string budget, DateTimeOffset when, SpendDetail? detail = null, params (string Name, string Value)[] attributes) =>
            Entries.Usage(tenant, key, budget) with
            {
                Attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, attributes.Select(a => KeyValuePair.Create(a.Name, a.Value))),
                RecordedAt = when,
                Detail = detail,
            };

        LedgerEntry[] written =
        [
            Use("a", "b1", at, null, ("user", "alice"), ("model", "gpt-4o")),
            Entries.Hold(tenant, "r1", "b1"),
            Use("b", "b2", at.AddHours(1), LlmDetail, ("user", "bob")), // its model comes from the detail
            Entries.Commit(tenant, "r1", "b1") with { RecordedAt = at.AddHours(2), Attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("queue", "ml")]) },
            Entries.Release(tenant, "r2", "b1"),
            Use("c", "b1", at.AddHours(-30), null, ("user", "alice"), ("queue", "ml")), // late: back-dated a day
            Use("d", "b2", at.AddHours(3), null, ("user", "carol"), ("model", "claude-haiku-4-5")),
        ];
        var sequences = new Dictionary<string, long>();
        foreach (var entry in written)
        {
            sequences[entry.EntryKey] = (await Ledger.AppendAsync(entry)).Record.Sequence;
        }

        await Ledger.AppendAsync(Entries.Usage(Entries.NewTenant(), "a", "b1")); // another tenant's: never listed

        async Task<string[]> Keys(SpendQuery query) => [.. (await Ledger.ReadSpendAsync(query)).Items.Select(r => r.Entry.EntryKey)];

        // Newest first is ledger order: the back-dated usage is where it arrived.
        Assert.Equal(["usage:d", "usage:c", "commit:r1", "usage:b", "usage:a"], await Keys(new SpendQuery(tenant)));
        Assert.Equal(["usage:c", "commit:r1", "usage:a"], await Keys(new SpendQuery(tenant, BudgetId: "b1")));
        Assert.Equal(["usage:d", "usage:b"], await Keys(new SpendQuery(tenant, BudgetId: "b2")));
        Assert.Equal(["usage:c", "usage:a"], await Keys(new SpendQuery(tenant, User: "alice")));
        Assert.Equal(["usage:b", "usage:a"], await Keys(new SpendQuery(tenant, Model: "gpt-4o")));
        Assert.Equal(["usage:d"], await Keys(new SpendQuery(tenant, Model: "claude-haiku-4-5")));
        Assert.Equal(["usage:c", "commit:r1"], await Keys(new SpendQuery(tenant, Queue: "ml")));
        Assert.Equal(["usage:c"], await Keys(new SpendQuery(tenant, BudgetId: "b1", User: "alice", Queue: "ml")));
        Assert.Equal(["commit:r1", "usage:b"], await Keys(new SpendQuery(tenant, Since: at.AddHours(1), Until: at.AddHours(3))));
        Assert.Equal(["usage:c"], await Keys(new SpendQuery(tenant, Until: at)));
        Assert.Empty(await Keys(new SpendQuery(tenant, User: "nobody")));
        Assert.Empty(await Keys(new SpendQuery(tenant, BudgetId: "no-such-budget")));
        Assert.Equal(["usage:b", "usage:a"], await Keys(new SpendQuery(tenant, Before: sequences["commit:r1"])));
    }

    [Fact]
    public async Task Paging_by_cursor_neither_skips_nor_repeats_while_writes_go_on()
    {
        for (var i = 0; i < 40; i++)
        {
            await Ledger.AppendAsync(Entries.Usage(tenant, $"before-{i}", i % 2 == 0 ? "even" : "odd"));
        }

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await Ledger.AppendAsync(Entries.Usage(tenant, $"during-{w}-{i}", i % 2 == 0 ? "even" : "odd"));
            }
        })).ToList();

        var seen = new List<LedgerRecord>();
        long? cursor = null;
        do
        {
            var page = await Ledger.ReadSpendAsync(new SpendQuery(tenant, Before: cursor, Limit: 7));
            seen.AddRange(page.Items);
            cursor = page.Next;
            await Task.Delay(5); // let writers in between pages
        }
        while (cursor is not null);

        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // Exactly every spend entry at or below the first page's newest, newest first, once each.
        var sequences = seen.Select(r => r.Sequence).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        var all = await ReadAll(new SpendQuery(tenant));
        Assert.Equal(all.Where(s => s <= sequences[0]), sequences);
        Assert.True(all.Count > sequences.Count || all.Count == 40, "the writers wrote during the paging");
    }

    [Fact]
    public async Task The_projectors_read_brings_every_spend_entry_once_in_order_up_to_its_horizon()
    {
        var first = (await Ledger.AppendAsync(Entries.Usage(tenant, "u0", "month"))).Record.Sequence;
        await Ledger.AppendAsync(Entries.Hold(tenant, "r1", "month"));
        for (var i = 1; i < 10; i++)
        {
            await Ledger.AppendAsync(Entries.Usage(tenant, $"u{i}", "month"));
        }

        await Ledger.AppendAsync(Entries.Commit(tenant, "r1", "month"));

        // In batches of 3 from just below the first: every entry of this tenant, in order, never twice.
        var read = new List<LedgerRecord>();
        var watermark = first - 1;
        while (true)
        {
            var batch = await Ledger.ReadSpendAfterAsync(watermark, 3);
            Assert.All(batch.Entries, r => Assert.True(r.Sequence > watermark && r.Sequence <= batch.Horizon));
            Assert.Equal(batch.Entries.Select(r => r.Sequence).Order(), batch.Entries.Select(r => r.Sequence));
            read.AddRange(batch.Entries);
            if (batch.Entries.Count < 3)
            {
                break;
            }

            watermark = batch.Horizon;
        }

        var mine = read.Where(r => r.Entry.TenantId == tenant).Select(r => r.Entry.EntryKey).ToList();
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"usage:u{i}"), "commit:r1"], mine);
    }

    private async Task<List<long>> ReadAll(SpendQuery query)
    {
        var all = new List<long>();
        long? cursor = null;
        do
        {
            var page = await Ledger.ReadSpendAsync(query with { Before = cursor, Limit = 1000 });
            all.AddRange(page.Items.Select(r => r.Sequence));
            cursor = page.Next;
        }
        while (cursor is not null);

        return all;
    }
}

public sealed class InMemorySpendRecordsTests : SpendRecordsBehaviourTests
{
    protected override ISpendLedger Ledger { get; } = new InMemorySpendLedger();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSpendRecordsTests(PostgresFixture database) : SpendRecordsBehaviourTests, IAsyncLifetime
{
    private readonly PostgresSpendLedger ledger = new(database.ConnectionString);

    protected override ISpendLedger Ledger => ledger;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ledger.DisposeAsync();
}
