using System.Collections.Immutable;
using System.Threading.Channels;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BudgetActors.Grains.Audit;

/// <summary>
/// The audit trail in PostgreSQL (scripts/sql/60-audit-events.sql). Events queue up and one writer
/// loop stores whatever is queued in one transaction (like the ledger's group commit), taking the
/// advisory lock of each tenant partition it writes first, so that within a tenant ids follow commit
/// order. A batch that fails is tried again with backoff, in order, while the process lives: the
/// trail is written off the admission path, and an outage of the database delays it, not a check.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    /// <summary>The lock of partition 0 ("BAaudt" and a zero word in ASCII); partition p locks this + p.</summary>
    private const long FirstLockKey = 0x4241_6175_6474_0000;

    private const int MaxBatch = 500;

    // Past this many queued events the oldest are dropped (and logged): a long outage must not eat the silo's memory.
    private const int MaxQueued = 100_000;

    private const string Insert =
        """
        INSERT INTO audit_events (id, tenant_id, type, at, actor, budget_id, data)
        SELECT nextval('audit_event_sequence'), t, ty, a, ac, b, d::jsonb
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS i(t, ty, a, ac, b, d, ord)
        ORDER BY ord
        """;

    private const string Select =
        """
        SELECT id, tenant_id, type, at, actor, budget_id, data::text FROM audit_events
        WHERE tenant_id = $1 AND id > $2
          AND ($3::text IS NULL OR budget_id = $3) AND ($4::text IS NULL OR type = $4)
          AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
        ORDER BY id LIMIT $7
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresAuditLog> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    }, dropped => dropped.Done.TrySetResult());
    private readonly Task _writer;

    public PostgresAuditLog(string connectionString, ILogger<PostgresAuditLog> logger)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _logger = logger;
        _writer = Task.Run(WriteQueuedAsync);
    }

    public Task Record(AuditRecord record)
    {
        var pending = new Pending(record);
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.CompletedTask; // shutting down
        }

        return pending.Done.Task;
    }

    public async Task<AuditPage> Query(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(Select);
        command.Parameters.Add(new NpgsqlParameter { Value = query.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = query.After });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.BudgetId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Since?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Until?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = ImmutableArray.CreateBuilder<AuditEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new AuditEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6)));
        }

        return new AuditPage(items.ToImmutable(), items.Count == query.Limit ? items[^1].Id : null);
    }

    /// <summary>Stops taking events and stores what is queued (giving up after a few seconds if the database is gone).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_writer, Task.Delay(TimeSpan.FromSeconds(5)));
        await _dataSource.DisposeAsync();
    }

    private async Task WriteQueuedAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await WriteAsync(batch);
                    batch.ForEach(p => p.Done.TrySetResult());
                    break;
                }
                catch (Exception e) when (attempt < 1000 && !reader.Completion.IsCompleted)
                {
                    // In order, or ids would not follow the order events happened in: the batch waits.
                    var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(attempt, 10))));
                    _logger.LogWarning(e, "Audit trail: {Count} events not stored yet (attempt {Attempt}); trying again in {Delay}", batch.Count, attempt, delay);
                    await Task.Delay(delay); // real time: an outage lasts real time, whatever clock the business logic runs on
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Audit trail: {Count} events could not be stored and are dropped", batch.Count);
                    batch.ForEach(p => p.Done.TrySetResult());
                    break;
                }
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var locks = batch.Select(p => FirstLockKey + LedgerPartitions.Of(p.Record.TenantId)).Distinct().Order().ToArray();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS l(k, ord) ORDER BY ord", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = locks });
            await lockCommand.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand(Insert, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Record.TenantId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Record.Type).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Record.At.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Record.Actor).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Record.BudgetId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Record.Data).ToArray() });
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private sealed class Pending(AuditRecord record)
    {
        public AuditRecord Record { get; } = record;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
