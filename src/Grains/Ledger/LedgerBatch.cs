using Npgsql;
using NpgsqlTypes;

namespace BudgetActors.Grains.Ledger;

/// <summary>What became of one entry of a batch: its sequence, and the first entry if the key was taken.</summary>
internal readonly record struct StoredEntry(long Sequence, LedgerRecord? StoredBefore);

/// <summary>
/// Writes entries with distinct keys in one transaction and one round trip: the writers' shared
/// lock, the locks of the entries' partitions and the append statement go out together as one
/// Npgsql batch, which PostgreSQL runs as a single implicit transaction committed at its end — so
/// when the answers have been read, the commit is durable (synchronous_commit) and the locks are
/// released. Each partition's values are taken only once its lock is held, and the lock is released
/// only once the commit is visible: within a partition, sequences follow commit order.
/// </summary>
internal static class LedgerBatch
{
    /// <returns>One answer per entry, in order; null for an entry the statement neither stored nor found.</returns>
    public static async Task<StoredEntry?[]> WriteAsync(NpgsqlConnection connection, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(LedgerSql.TakeWriterLockShared),
                PartitionLocksCommand(entries),
                AppendCommand(entries),
            },
        };

        // Prepared once per physical connection (Npgsql keeps it across pool returns and finds it by
        // its text): later batches skip parsing and analysing the statements.
        await batch.PrepareAsync(cancellationToken);
        var answers = new StoredEntry?[entries.Count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken); // past the shared lock's single void row
            await reader.NextResultAsync(cancellationToken); // past one void row per partition lock
            while (await reader.ReadAsync(cancellationToken))
            {
                var position = (int)reader.GetInt64(0) - 1;
                answers[position] = reader.GetBoolean(1)
                    ? new StoredEntry(reader.GetInt64(2), LedgerRows.Read(reader, first: 2))
                    : new StoredEntry(reader.GetInt64(2), null);
            }

            // Reading to the end takes in the commit's outcome: an error there throws here.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        return answers;
    }

    /// <summary>The lock keys of the entries' partitions, each once, ascending (the order every writer takes them in).</summary>
    internal static long[] PartitionLockKeys(IReadOnlyList<LedgerEntry> entries)
    {
        var taken = new bool[LedgerPartitions.Count];
        var count = 0;
        foreach (var entry in entries)
        {
            var partition = LedgerPartitions.Of(entry.TenantId);
            if (!taken[partition])
            {
                taken[partition] = true;
                count++;
            }
        }

        var keys = new long[count];
        for (int partition = 0, next = 0; partition < taken.Length; partition++)
        {
            if (taken[partition])
            {
                keys[next++] = LedgerPartitions.LockKey(partition);
            }
        }

        return keys;
    }

    private static NpgsqlBatchCommand PartitionLocksCommand(IReadOnlyList<LedgerEntry> entries) =>
        new(LedgerSql.TakePartitionLocks) { Parameters = { Array(PartitionLockKeys(entries), NpgsqlDbType.Bigint) } };

    private static NpgsqlBatchCommand AppendCommand(IReadOnlyList<LedgerEntry> entries)
    {
        var count = entries.Count;
        var tenants = new string[count];
        var keys = new string[count];
        var kinds = new short[count];
        var reservations = new string?[count];
        var firstBudgets = new int[count];
        var lastBudgets = new int[count];
        var attributes = new string[count];
        var costs = new decimal[count];
        var tokens = new long[count];
        var operations = new long[count];
        var expiries = new DateTime?[count];
        var fingerprints = new string[count];
        var recordedAt = new DateTime[count];
        var outcomes = new byte[]?[count];
        var holdSequences = new long?[count];
        var details = new string?[count];
        var budgets = new List<string>();
        var epochs = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var entry = entries[i];
            tenants[i] = entry.TenantId;
            keys[i] = entry.EntryKey;
            kinds[i] = (short)entry.Kind;
            reservations[i] = entry.ReservationId;
            firstBudgets[i] = budgets.Count + 1; // PostgreSQL arrays count from 1; an empty slice has first > last
            budgets.AddRange(entry.BudgetIds);
            epochs.AddRange(entry.Epochs.IsDefaultOrEmpty ? Enumerable.Repeat(0L, entry.BudgetIds.Length) : entry.Epochs);
            lastBudgets[i] = budgets.Count;
            attributes[i] = LedgerRows.FormatAttributes(entry.Attributes);
            costs[i] = entry.Amount.Cost;
            tokens[i] = entry.Amount.Tokens;
            operations[i] = entry.Amount.Operations;
            expiries[i] = entry.ExpiresAt?.UtcDateTime;
            fingerprints[i] = entry.Fingerprint;
            recordedAt[i] = entry.RecordedAt.UtcDateTime;
            outcomes[i] = entry.Outcome;
            holdSequences[i] = entry.HoldSequence;
            details[i] = entry.Detail is { } detail ? DetailJson.Format(detail) : null;
        }

        return new NpgsqlBatchCommand(LedgerSql.AppendBatch)
        {
            Parameters =
            {
                Array(tenants, NpgsqlDbType.Text),
                Array(keys, NpgsqlDbType.Text),
                Array(kinds, NpgsqlDbType.Smallint),
                Array(reservations, NpgsqlDbType.Text),
                Array(firstBudgets, NpgsqlDbType.Integer),
                Array(lastBudgets, NpgsqlDbType.Integer),
                Array(attributes, NpgsqlDbType.Text),
                Array(costs, NpgsqlDbType.Numeric),
                Array(tokens, NpgsqlDbType.Bigint),
                Array(operations, NpgsqlDbType.Bigint),
                Array(expiries, NpgsqlDbType.TimestampTz),
                Array(fingerprints, NpgsqlDbType.Text),
                Array(recordedAt, NpgsqlDbType.TimestampTz),
                Array(outcomes, NpgsqlDbType.Bytea),
                Array(budgets.ToArray(), NpgsqlDbType.Text),
                Array(holdSequences, NpgsqlDbType.Bigint),
                Array(epochs.ToArray(), NpgsqlDbType.Bigint),
                Array(details, NpgsqlDbType.Text),
            },
        };
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };
}
