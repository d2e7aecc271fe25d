using System.Globalization;
using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace BudgetActors.Grains.Reports;

/// <summary>
/// The aggregates in PostgreSQL (scripts/sql/70-spend-aggregates.sql). A fold is one transaction:
/// it locks the watermark row (so projectors of several silos take turns), checks the watermark is
/// still the one the fold started from, reads the rows it touches, writes them merged and moves the
/// watermark. A crash before the commit leaves rows and watermark as they were; after it, both moved.
/// </summary>
public sealed class PostgresSpendAggregates(NpgsqlDataSource dataSource) : ISpendAggregateStore, IAsyncDisposable
{
    private const string Columns =
        "tenant_id, budget_id, dimension, value, day, charges, cost, tokens, operations, min_cost, max_cost, components, llm_tokens, sketch";

    private const string EnsureWatermark = "INSERT INTO spend_aggregate_watermark (id, watermark) VALUES (1, 0) ON CONFLICT (id) DO NOTHING";

    private const string LockWatermark = "SELECT watermark FROM spend_aggregate_watermark WHERE id = 1 FOR UPDATE";

    private const string ReadTouched =
        $"""
        SELECT {Columns} FROM spend_daily
        WHERE (tenant_id, budget_id, dimension, day, value) IN
              (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[]))
        """;

    private const string Upsert =
        $"""
        INSERT INTO spend_daily ({Columns})
        SELECT tenant_id, budget_id, dimension, value, day, charges, cost, tokens, operations, min_cost, max_cost,
               components::numeric[], llm_tokens::numeric[], sketch
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[], $7::numeric[], $8::numeric[],
                    $9::numeric[], $10::numeric[], $11::numeric[], $12::text[], $13::text[], $14::text[])
             AS r(tenant_id, budget_id, dimension, value, day, charges, cost, tokens, operations, min_cost, max_cost,
                  components, llm_tokens, sketch)
        ON CONFLICT (tenant_id, budget_id, dimension, day, value) DO UPDATE SET
            charges = excluded.charges, cost = excluded.cost, tokens = excluded.tokens, operations = excluded.operations,
            min_cost = excluded.min_cost, max_cost = excluded.max_cost, components = excluded.components,
            llm_tokens = excluded.llm_tokens, sketch = excluded.sketch
        """;

    private const string Read =
        $"SELECT {Columns} FROM spend_daily WHERE tenant_id = $1 AND budget_id = $2 AND dimension = ANY ($3) AND day BETWEEN $4 AND $5";

    private readonly bool _ownsDataSource;

    public PostgresSpendAggregates(string connectionString)
        : this(NpgsqlDataSource.Create(connectionString))
    {
        _ownsDataSource = true;
    }

    public async Task<long> GetWatermarkAsync(CancellationToken cancellationToken = default)
    {
        return await Guarded(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT watermark FROM spend_aggregate_watermark WHERE id = 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is long watermark ? watermark : 0L;
        });
    }

    public async Task<bool> ApplyAsync(long expectedWatermark, long newWatermark, IReadOnlyDictionary<AggregateKey, SpendAggregate> deltas, CancellationToken cancellationToken = default)
    {
        return await Guarded(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var ensure = new NpgsqlCommand(EnsureWatermark, connection))
            {
                await ensure.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var locked = new NpgsqlCommand(LockWatermark, connection, transaction))
            {
                if ((long)(await locked.ExecuteScalarAsync(cancellationToken))! != expectedWatermark)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return false;
                }
            }

            var merged = deltas.ToDictionary(d => d.Key, d => d.Value.Copy());
            if (merged.Count > 0)
            {
                var keys = merged.Keys.ToList();
                await using (var read = new NpgsqlCommand(ReadTouched, connection, transaction))
                {
                    read.Parameters.Add(Array(keys.Select(k => k.TenantId).ToArray(), NpgsqlDbType.Text));
                    read.Parameters.Add(Array(keys.Select(k => k.BudgetId).ToArray(), NpgsqlDbType.Text));
                    read.Parameters.Add(Array(keys.Select(k => k.Dimension).ToArray(), NpgsqlDbType.Text));
                    read.Parameters.Add(Array(keys.Select(k => k.Day).ToArray(), NpgsqlDbType.Date));
                    read.Parameters.Add(Array(keys.Select(k => k.Value).ToArray(), NpgsqlDbType.Text));
                    await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var (key, stored) = ReadRow(reader);
                        merged[key].Merge(stored);
                    }
                }

                await using var upsert = new NpgsqlCommand(Upsert, connection, transaction);
                var rows = merged.ToList();
                upsert.Parameters.Add(Array(rows.Select(r => r.Key.TenantId).ToArray(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(rows.Select(r => r.Key.BudgetId).ToArray(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(rows.Select(r => r.Key.Dimension).ToArray(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(rows.Select(r => r.Key.Value).ToArray(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(rows.Select(r => r.Key.Day).ToArray(), NpgsqlDbType.Date));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.Count).ToArray(), NpgsqlDbType.Bigint));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.Cost).ToArray(), NpgsqlDbType.Numeric));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.Tokens).ToArray(), NpgsqlDbType.Numeric));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.Operations).ToArray(), NpgsqlDbType.Numeric));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.MinCost).ToArray(), NpgsqlDbType.Numeric));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.MaxCost).ToArray(), NpgsqlDbType.Numeric));
                upsert.Parameters.Add(Array(rows.Select(r => ArrayText(r.Value.Components)).ToArray(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(rows.Select(r => ArrayText(r.Value.LlmTokens)).ToArray(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(rows.Select(r => r.Value.Sketch.ToText()).ToArray(), NpgsqlDbType.Text));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var move = new NpgsqlCommand("UPDATE spend_aggregate_watermark SET watermark = $1 WHERE id = 1", connection, transaction))
            {
                move.Parameters.Add(new NpgsqlParameter { Value = newWatermark });
                await move.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        });
    }

    public async Task<IReadOnlyList<KeyValuePair<AggregateKey, SpendAggregate>>> ReadAsync(string tenantId, string budgetId, IReadOnlyCollection<string> dimensions,
        DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        return await Guarded(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(Read, connection)
            {
                Parameters =
                {
                    new() { Value = tenantId }, new() { Value = budgetId }, Array(dimensions.ToArray(), NpgsqlDbType.Text),
                    new() { Value = from, NpgsqlDbType = NpgsqlDbType.Date }, new() { Value = to, NpgsqlDbType = NpgsqlDbType.Date },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<KeyValuePair<AggregateKey, SpendAggregate>>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var (key, aggregate) = ReadRow(reader);
                rows.Add(KeyValuePair.Create(key, aggregate));
            }

            return (IReadOnlyList<KeyValuePair<AggregateKey, SpendAggregate>>)rows;
        });
    }

    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await Guarded(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(EnsureWatermark),
                    new NpgsqlBatchCommand(LockWatermark),
                    new NpgsqlBatchCommand("DELETE FROM spend_daily"),
                    new NpgsqlBatchCommand("UPDATE spend_aggregate_watermark SET watermark = 0 WHERE id = 1"),
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken); // one implicit transaction
            return true;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await dataSource.DisposeAsync();
        }
    }

    private static (AggregateKey Key, SpendAggregate Aggregate) ReadRow(NpgsqlDataReader row)
    {
        var key = new AggregateKey(row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetFieldValue<DateOnly>(4));
        var aggregate = SpendAggregate.Restore(row.GetInt64(5), row.GetDecimal(6), row.GetDecimal(7), row.GetDecimal(8),
            row.GetFieldValue<decimal[]>(11), row.GetFieldValue<decimal[]>(12), row.GetDecimal(9), row.GetDecimal(10),
            QuantileSketch.Parse(row.GetString(13)));
        return (key, aggregate);
    }

    private static string ArrayText(decimal[] values) =>
        "{" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "}";

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    private static async Task<T> Guarded<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception error) when (error is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            throw new LedgerUnavailableException($"The aggregates' database failed: {error.Message}", error);
        }
    }
}
