using BudgetActors.Grains.Ledger;
using Npgsql;

namespace BudgetActors.Ledger.Tests.Support;

/// <summary>
/// Holds the ledger writers' advisory lock from outside, as a slow writer in another silo would:
/// a batch sent meanwhile waits in PostgreSQL, and everything appended meanwhile queues behind it.
/// That makes "what shares a batch" deterministic for the tests.
/// </summary>
public sealed class WriterLockBlocker : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;

    private WriterLockBlocker(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        (this.connection, this.transaction) = (connection, transaction);

    public static async Task<WriterLockBlocker> TakeAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var take = new NpgsqlCommand(LedgerSql.TakeWriterLock, connection, transaction);
        await take.ExecuteNonQueryAsync();
        return new WriterLockBlocker(connection, transaction);
    }

    /// <summary>Waits until a ledger writer is blocked on the lock (its batch is in flight).</summary>
    public async Task WaitForBlockedWriterAsync()
    {
        await Eventually.HoldsAsync(async () =>
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection, transaction);
            return (long)(await count.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(20), "a ledger writer waits for the advisory lock");
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.CommitAsync();
        await connection.DisposeAsync();
    }
}
