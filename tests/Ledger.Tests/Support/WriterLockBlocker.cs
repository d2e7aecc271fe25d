using BudgetActors.Grains.Ledger;
using Npgsql;

namespace BudgetActors.Ledger.Tests.Support;

/// <summary>
/// Holds ledger locks from outside in an open transaction. <see cref="TakeAsync"/> takes the writer
/// lock exclusively, as a writer of the version before partitions did: every writer of this version
/// waits for it, so a batch sent meanwhile waits in PostgreSQL and everything appended meanwhile
/// queues behind it, which makes "what shares a batch" deterministic for the tests.
/// <see cref="TakePartitionAsync"/> takes what a writer of one tenant's partition holds while its
/// batch runs, as a slow writer in another silo would.
/// </summary>
public sealed class WriterLockBlocker : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;

    private WriterLockBlocker(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        (this.connection, this.transaction) = (connection, transaction);

    public static Task<WriterLockBlocker> TakeAsync(string connectionString) =>
        HoldAsync(connectionString, new NpgsqlCommand(LedgerSql.TakeWriterLock));

    public static Task<WriterLockBlocker> TakePartitionAsync(string connectionString, string tenantId) =>
        HoldAsync(connectionString, new NpgsqlCommand(
            $"{LedgerSql.TakeWriterLockShared}; SELECT pg_advisory_xact_lock({LedgerPartitions.LockKey(LedgerPartitions.Of(tenantId))})"));

    private static async Task<WriterLockBlocker> HoldAsync(string connectionString, NpgsqlCommand take)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (take)
        {
            (take.Connection, take.Transaction) = (connection, transaction);
            await take.ExecuteNonQueryAsync();
        }

        return new WriterLockBlocker(connection, transaction);
    }

    /// <summary>Waits until a ledger writer is blocked on a lock (its batch is in flight).</summary>
    public async Task WaitForBlockedWriterAsync()
    {
        await Eventually.HoldsAsync(async () =>
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection, transaction);
            return (long)(await count.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(20), "a ledger writer waits for the advisory lock");
    }

    /// <summary>Whether this blocker's transaction still holds its locks (asked of PostgreSQL, not assumed).</summary>
    public async Task<bool> HoldsAsync()
    {
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()", connection, transaction);
        return (long)(await count.ExecuteScalarAsync())! > 0;
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.CommitAsync();
        await connection.DisposeAsync();
    }
}
