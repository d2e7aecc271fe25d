using BudgetActors.Alerts.Tests.Support;
using Npgsql;

namespace BudgetActors.Alerts.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresOutboxTests(PostgresFixture database) : OutboxBehaviourTests, IAsyncLifetime
{
    private readonly PostgresAlertOutbox outbox = new(database.ConnectionString, new OutboxSignal(), TimeProvider.System);

    protected override IAlertOutbox Outbox => outbox;

    protected override IDeliveryStore Store => outbox;

    public async Task InitializeAsync() => await Outboxes.EmptyAsync(database.ConnectionString);

    public async Task DisposeAsync() => await outbox.DisposeAsync();

    [Fact]
    public async Task Applying_the_schema_again_changes_nothing_and_keeps_the_rows()
    {
        var request = DeliveryRequest.For(Notices.Threshold("schema-tenant"), "hook");
        await outbox.EnqueueAsync([request]);

        // The fixture applied it once already.
        await database.Server.ApplySchemaAsync();

        await outbox.EnqueueAsync([request]);
        Assert.Single(await outbox.ListAsync("schema-tenant", "al-1"));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'alert_outbox'::regclass AND conname = 'alert_outbox_message' AND contype = 'u'", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// Two outboxes (two silos' connections) claiming the same rows as fast as they can: every row is
    /// claimed exactly once, never by both.
    /// </summary>
    [Fact]
    public async Task Concurrent_claims_of_two_workers_never_take_the_same_delivery()
    {
        await using var other = new PostgresAlertOutbox(database.ConnectionString, new OutboxSignal(), TimeProvider.System);
        var requests = Enumerable.Range(1, 300).Select(i => DeliveryRequest.For(Notices.Threshold("race", $"al-{i}"), "hook")).ToList();
        await outbox.EnqueueAsync(requests);
        var now = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);

        async Task<List<ClaimedDelivery>> ClaimAllAsync(IDeliveryStore store)
        {
            var mine = new List<ClaimedDelivery>();
            while (true)
            {
                var batch = await store.ClaimAsync(7, [], now, now + TimeSpan.FromMinutes(1));
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch);
            }
        }

        var results = await Task.WhenAll(Task.Run(() => ClaimAllAsync(outbox)), Task.Run(() => ClaimAllAsync(other)));
        var all = results.SelectMany(r => r).ToList();

        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Select(c => c.Id).Distinct().Count());
        Assert.All(all, c => Assert.Equal(1, c.Attempt));
    }
}
