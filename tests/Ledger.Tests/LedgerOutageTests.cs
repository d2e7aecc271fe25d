using System.Net;
using System.Net.Sockets;
using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// When PostgreSQL is gone, appends and reads fail with <see cref="LedgerUnavailableException"/>
/// (never a silent success), and the ledger works again once the database is back. This class has
/// a server of its own, since it stops it.
/// </summary>
public sealed class LedgerOutageTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    private readonly string tenant = Entries.NewTenant();

    [Fact]
    public async Task While_the_database_is_down_appends_and_reads_fail_and_afterwards_they_work_again()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var before = await ledger.AppendAsync(Entries.Usage(tenant, "before", "month"));

        await database.Server.PauseAsync();
        var duringOutage = Entries.Usage(tenant, "during", "month");
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(duringOutage));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(Entries.Usage(tenant, "also-during", "month")));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.FindAsync(tenant, "usage:before"));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.ReadForBudgetAsync(tenant, "month", 0));
        await database.Server.ResumeAsync();

        // The caller retries with the same key; the writer loop has survived the failures.
        var retried = await Eventually.SucceedsAsync(() => ledger.AppendAsync(duringOutage), TimeSpan.FromSeconds(30), "appending after the restart");
        var after = await ledger.AppendAsync(Entries.Usage(tenant, "after", "month"));

        Assert.False(retried.Duplicate);
        Assert.True(retried.Record.Sequence > before.Record.Sequence);
        Assert.True(after.Record.Sequence > retried.Record.Sequence);
        Assert.Equal(
            [before.Record.Sequence, retried.Record.Sequence, after.Record.Sequence],
            (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_makes_every_call_fail_as_unavailable()
    {
        await using var ledger = new PostgresSpendLedger($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=budget_actors;Timeout=5");

        // Twice: a failed batch leaves the writer ready for the next one.
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(Entries.Usage(tenant, "u1", "month")));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(Entries.Usage(tenant, "u2", "month")));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.FindAsync(tenant, "usage:u1"));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.ReadForReservationAsync(tenant, "r1"));
        Assert.Equal(0, ledger.BatchesWritten);
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port; // nothing listens on it once the socket is closed
    }
}
