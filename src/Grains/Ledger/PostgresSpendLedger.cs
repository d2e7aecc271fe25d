using System.Net.Sockets;
using System.Threading.Channels;
using Npgsql;

namespace BudgetActors.Grains.Ledger;

/// <summary>
/// The ledger in PostgreSQL (scripts/sql/40-budget-ledger.sql), with group commit: appends queue
/// up, and a writer loop writes whatever is queued when it is free — up to
/// <see cref="LedgerOptions.MaxBatchSize"/> entries — in one transaction and one round trip, then
/// answers every caller of the batch once the commit is durable. Under load the batches grow by
/// themselves (more arrives while a batch is in flight); alone, an append waits for nothing but
/// its own round trip. Reads go straight to the database.
/// <para>
/// There are <see cref="LedgerOptions.Writers"/> writer loops, each with a queue of its own, and a
/// tenant's appends always go to the same one (its <see cref="LedgerPartitions">partition</see>
/// modulo the number of loops). So the batches one ledger has in flight never share a partition and
/// never wait for each other's locks; a batch waits only for writers, in other processes, of the
/// partitions it carries. A loop has one batch in flight, so while its batch waits for one
/// partition the loop's other partitions wait with it: more loops narrow that, at the cost of
/// smaller batches. Appends of one tenant stay in one queue, in the order they were made.
/// </para>
/// </summary>
public sealed class PostgresSpendLedger : ISpendLedger, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly bool ownsDataSource;
    private readonly LedgerOptions options;
    private readonly Channel<PendingAppend>[] queues;
    private readonly Task[] writers;
    private long batchesWritten;
    private long entriesWritten;

    /// <param name="connectionString">An Npgsql connection string; the ledger owns the data source it builds from it.</param>
    public PostgresSpendLedger(string connectionString, LedgerOptions? options = null)
        : this(NpgsqlDataSource.Create(connectionString), options, ownsDataSource: true)
    {
    }

    /// <param name="dataSource">Shared with its owner, who disposes it after this ledger.</param>
    public PostgresSpendLedger(NpgsqlDataSource dataSource, LedgerOptions? options = null)
        : this(dataSource, options, ownsDataSource: false)
    {
    }

    private PostgresSpendLedger(NpgsqlDataSource dataSource, LedgerOptions? options, bool ownsDataSource)
    {
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
        this.options = options ?? new();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxBatchSize, 1, nameof(LedgerOptions.MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.Writers, 1, nameof(LedgerOptions.Writers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(this.options.Writers, LedgerPartitions.Count, nameof(LedgerOptions.Writers));
        var loops = this.options.OneRowPerCommit ? 0 : this.options.Writers;
        queues = [.. Enumerable.Range(0, loops).Select(_ => Channel.CreateUnbounded<PendingAppend>(new() { SingleReader = true }))];
        writers = [.. queues.Select(queue => Task.Run(() => WriteQueuedAsync(queue.Reader)))];
    }

    /// <summary>Transactions that wrote appends (a batch, or one entry in the one-row-per-commit baseline).</summary>
    public long BatchesWritten => Interlocked.Read(ref batchesWritten);

    /// <summary>Entries sent in those transactions (a duplicate of a stored key counts too).</summary>
    public long EntriesWritten => Interlocked.Read(ref entriesWritten);

    public Task<AppendResult> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        LedgerEntryRules.Validate(entry);
        var pending = new PendingAppend(LedgerEntryRules.Normalize(entry), cancellationToken);
        if (options.OneRowPerCommit)
        {
            return WriteAloneAsync(pending);
        }

        var queue = queues[LedgerPartitions.Of(entry.TenantId) % queues.Length];
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresSpendLedger));
        }

        // A caller that stops waiting does not withdraw the entry once it is in a batch: it may be
        // durable anyway, like after LedgerUnavailableException, and a retry with its key finds it.
        return cancellationToken.CanBeCanceled ? pending.Answer.WaitAsync(cancellationToken) : pending.Answer;
    }

    public Task<LedgerRecord?> FindAsync(string tenantId, string entryKey, CancellationToken cancellationToken = default) =>
        ReadAsync(LedgerSql.Find, [tenantId, entryKey], records => records.Count == 0 ? null : records[0], cancellationToken);

    public Task<IReadOnlyList<LedgerRecord>> ReadForBudgetAsync(string tenantId, string budgetId, long afterSequence, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LedgerRecord>>(LedgerSql.ReadForBudget, [tenantId, budgetId, afterSequence], records => records, cancellationToken);

    public Task<IReadOnlyList<LedgerRecord>> ReadForReservationAsync(string tenantId, string reservationId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LedgerRecord>>(LedgerSql.ReadForReservation, [tenantId, reservationId], records => records, cancellationToken);

    public async Task<SpendPage> ReadSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        // One row more than the page says whether there is a next one.
        object?[] arguments =
        [
            query.TenantId, query.Before ?? long.MaxValue, query.User, query.Model, query.Queue,
            query.Since?.UtcDateTime, query.Until?.UtcDateTime, (long)query.Limit + 1,
        ];
        var rows = query.BudgetId is { } budget
            ? await ReadAsync(LedgerSql.ReadSpendOfBudget, [.. arguments, budget], records => records, cancellationToken)
            : await ReadAsync(LedgerSql.ReadSpend, arguments, records => records, cancellationToken);
        return rows.Count > query.Limit
            ? new SpendPage(rows.GetRange(0, query.Limit), rows[query.Limit - 1].Sequence)
            : new SpendPage(rows, null);
    }

    public async Task<SpendBatch> ReadSpendAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            long horizon;
            await using (var last = new NpgsqlCommand(LedgerSql.LastSequence, connection))
            {
                horizon = Math.Max(afterSequence, (long)(await last.ExecuteScalarAsync(cancellationToken))!);
            }

            if (horizon == afterSequence)
            {
                return new SpendBatch([], afterSequence);
            }

            await using (var wait = new NpgsqlCommand(LedgerSql.AwaitPartitionWriters, connection))
            {
                await wait.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var read = new NpgsqlCommand(LedgerSql.ReadSpendAfter, connection)
            {
                Parameters = { new() { Value = afterSequence }, new() { Value = horizon }, new() { Value = limit } },
            };
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            var records = await LedgerRows.ReadAllAsync(reader, cancellationToken);
            return new SpendBatch(records, records.Count == limit ? records[^1].Sequence : horizon);
        }
        catch (Exception error) when (Unavailable(error, "reading the ledger") is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>Stops taking appends, writes what is queued, then lets go of the database.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in queues)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(writers);
        if (ownsDataSource)
        {
            await dataSource.DisposeAsync();
        }
    }

    private async Task WriteQueuedAsync(ChannelReader<PendingAppend> reader)
    {
        var batch = new List<PendingAppend>(options.MaxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < options.MaxBatchSize && reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel(); // nobody waits for it any more, and it is not written yet
                }
                else
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
    }

    private async Task<AppendResult> WriteAloneAsync(PendingAppend pending)
    {
        await WriteBatchAsync([pending]);
        return await pending.Answer;
    }

    // Never throws: every caller of the batch gets its answer or the failure, and the loop goes on
    // to the next batch (the database may be back by then).
    private async Task WriteBatchAsync(IReadOnlyList<PendingAppend> batch)
    {
        // Within a batch the first append of a key is written; the later ones get its answer as duplicates.
        var firstOfKey = new Dictionary<(string Tenant, string Key), int>(batch.Count);
        var distinct = new List<LedgerEntry>(batch.Count);
        var slot = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var entry = batch[i].Entry;
            if (!firstOfKey.TryGetValue((entry.TenantId, entry.EntryKey), out slot[i]))
            {
                slot[i] = distinct.Count;
                firstOfKey.Add((entry.TenantId, entry.EntryKey), distinct.Count);
                distinct.Add(entry);
            }
        }

        StoredEntry?[] answers;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            answers = await LedgerBatch.WriteAsync(connection, distinct, CancellationToken.None);
            Interlocked.Increment(ref batchesWritten);
            Interlocked.Add(ref entriesWritten, distinct.Count);
            Telemetry.BudgetMetrics.LedgerBatchWritten(distinct.Count, started);
        }
        catch (Exception error)
        {
            var failure = Unavailable(error, $"writing {distinct.Count} ledger entries") ?? error;
            foreach (var pending in batch)
            {
                pending.Fail(failure);
            }

            return;
        }

        var results = new AppendResult?[distinct.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var first = results[slot[i]];
            if (first is not null)
            {
                pending.Complete(first with { Duplicate = true });
                continue;
            }

            try
            {
                var result = answers[slot[i]] switch
                {
                    { StoredBefore: { } stored } => new AppendResult(stored, Duplicate: true),
                    { } written => new AppendResult(new LedgerRecord(written.Sequence, pending.Entry), Duplicate: false),
                    // Only a writer that skipped the partition's lock could commit a key between the
                    // statement's snapshot and its insert: the row is there now, so look it up.
                    null => new AppendResult(
                        await FindAsync(pending.Entry.TenantId, pending.Entry.EntryKey)
                            ?? throw new InvalidOperationException($"Ledger entry '{pending.Entry.EntryKey}' was neither stored nor found."),
                        Duplicate: true),
                };
                results[slot[i]] = result;
                pending.Complete(result);
            }
            catch (Exception error)
            {
                pending.Fail(error);
            }
        }
    }

    private async Task<T> ReadAsync<T>(string sql, object?[] arguments, Func<List<LedgerRecord>, T> answer, CancellationToken cancellationToken)
    {
        try
        {
            // Prepared, like the batches: once per physical connection (Npgsql keeps it across pool
            // returns), after which a read skips parsing and planning — most of the server's work
            // for a budget's catch-up of a few dozen entries (bench/LEDGER_RESULTS.md).
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var argument in arguments)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = argument ?? DBNull.Value });
            }

            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return answer(await LedgerRows.ReadAllAsync(reader, cancellationToken));
        }
        catch (Exception error) when (Unavailable(error, "reading the ledger") is { } unavailable)
        {
            throw unavailable;
        }
    }

    // Failures of the database or of the way to it; anything else (a bug) goes to the caller as it is.
    private static LedgerUnavailableException? Unavailable(Exception error, string doing) => error switch
    {
        NpgsqlException or SocketException or IOException or TimeoutException =>
            new LedgerUnavailableException($"The ledger database failed while {doing}: {error.Message}", error),
        _ => null,
    };
}
