using System.Collections.Concurrent;
using BudgetActors.Grains.Audit;
using BudgetActors.Ledger.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace BudgetActors.Ledger.Tests;

/// <summary>The audit trail in PostgreSQL: stored off the caller's path, kept across a restart, and paged without gaps while writers race.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditLogPostgresTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task Events_are_stored_with_their_details_and_read_back_after_the_writer_is_gone()
    {
        var tenant = Entries.NewTenant();
        await using (var log = NewLog())
        {
            await log.Record(new AuditRecord(tenant, AuditEventTypes.BudgetCreated, At, "key-1", "alice-daily", """{"limits":{"cost":10.50}}"""));
            await log.Record(new AuditRecord(tenant, AuditEventTypes.KeyRevoked, At.AddMinutes(1), "admin", null, """{"keyId":"key-2"}"""));
        }

        await using var reader = NewLog(); // a new process, in effect: nothing in memory
        var page = await reader.Query(new AuditQuery(tenant));

        Assert.Null(page.Next);
        Assert.Equal([AuditEventTypes.BudgetCreated, AuditEventTypes.KeyRevoked], page.Items.Select(e => e.Type));
        var created = page.Items[0];
        Assert.Equal(("key-1", "alice-daily", At), (created.Actor, created.BudgetId, created.At));
        Assert.Equal("""{"limits": {"cost": 10.50}}""", created.Data); // jsonb keeps the number as written
        Assert.Null(page.Items[1].BudgetId);
        Assert.True(page.Items[1].Id > created.Id);
    }

    [Fact]
    public async Task Filters_mean_what_they_say()
    {
        var tenant = Entries.NewTenant();
        await using var log = NewLog();
        for (var i = 0; i < 6; i++)
        {
            await log.Record(new AuditRecord(tenant, i % 2 == 0 ? AuditEventTypes.BudgetUpdated : AuditEventTypes.ThresholdCrossed,
                At.AddMinutes(i), "system", i % 3 == 0 ? "b0" : "b1", "{}"));
        }

        async Task<int[]> Minutes(AuditQuery query) =>
            [.. (await log.Query(query)).Items.Select(e => (int)(e.At - At).TotalMinutes)];

        Assert.Equal(new[] { 0, 3 }, await Minutes(new AuditQuery(tenant, BudgetId: "b0")));
        Assert.Equal(new[] { 1, 3, 5 }, await Minutes(new AuditQuery(tenant, Type: AuditEventTypes.ThresholdCrossed)));
        Assert.Equal(new[] { 2, 3 }, await Minutes(new AuditQuery(tenant, Since: At.AddMinutes(2), Until: At.AddMinutes(4))));
        Assert.Empty(await Minutes(new AuditQuery(Entries.NewTenant())));
        var first = await log.Query(new AuditQuery(tenant, Limit: 4));
        Assert.NotNull(first.Next);
        Assert.Equal(new[] { 4, 5 }, await Minutes(new AuditQuery(tenant, After: first.Next!.Value)));
    }

    [Fact]
    public async Task A_reader_paging_while_two_writers_race_sees_every_event_once_in_id_order()
    {
        var tenant = Entries.NewTenant();
        await using var a = NewLog();
        await using var b = NewLog();
        const int PerWriter = 400;
        var writers = new[] { a, b }.Select((log, w) => Task.Run(async () =>
        {
            // One event a transaction: many commits of the two writers interleave.
            for (var i = 0; i < PerWriter; i++)
            {
                await log.Record(new AuditRecord(tenant, AuditEventTypes.StateChanged, At, $"writer-{w}", null, $$"""{"n":{{i}}}"""));
            }
        })).ToList();

        var seen = new List<AuditEvent>();
        var after = 0L;
        var reading = Task.Run(async () =>
        {
            while (seen.Count < 2 * PerWriter)
            {
                var page = await a.Query(new AuditQuery(tenant, After: after, Limit: 37));
                seen.AddRange(page.Items);
                after = page.Items.IsEmpty ? after : page.Items[^1].Id;
                if (page.Items.IsEmpty)
                {
                    await Task.Delay(10);
                }
            }
        });

        await Task.WhenAll(writers);
        await reading.WaitAsync(TimeSpan.FromSeconds(30)); // a reader that skipped an event waits for it forever

        Assert.Equal(2 * PerWriter, seen.Count);
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(seen.Select(e => e.Id).Order(), seen.Select(e => e.Id));
        foreach (var writer in new[] { "writer-0", "writer-1" })
        {
            // Each writer's events in the order it made them: one writer stores its queue in order.
            var numbers = seen.Where(e => e.Actor == writer).Select(e => int.Parse(e.Data.Split(':')[1].TrimEnd('}'))).ToList();
            Assert.Equal(Enumerable.Range(0, PerWriter), numbers);
        }
    }

    private PostgresAuditLog NewLog() => new(postgres.ConnectionString, NullLogger<PostgresAuditLog>.Instance);
}
