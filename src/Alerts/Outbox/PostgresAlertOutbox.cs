using Npgsql;
using NpgsqlTypes;

namespace BudgetActors.Alerts;

/// <summary>
/// The outbox in PostgreSQL (storage <c>postgres</c>; table <c>alert_outbox</c>, created by
/// scripts/sql/apply.sh): deliveries survive restarts, and the workers of every silo share them
/// without sending one attempt twice at once (claims with SKIP LOCKED and a lease).
/// </summary>
public sealed class PostgresAlertOutbox : IAlertOutbox, IDeliveryStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;

    public PostgresAlertOutbox(string connectionString, OutboxSignal signal, TimeProvider time)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _signal = signal;
        _time = time;
    }

    public async Task EnqueueAsync(IReadOnlyList<DeliveryRequest> requests, CancellationToken cancellationToken = default)
    {
        if (requests.Count == 0)
        {
            return;
        }

        foreach (var request in requests)
        {
            request.EnsureValid();
        }

        await using var command = _dataSource.CreateCommand(OutboxSql.Enqueue);
        command.Parameters.Add(Timestamp("now", _time.GetUtcNow()));
        command.Parameters.Add(TextArray("tenants", requests.Select(r => r.Tenant)));
        command.Parameters.Add(TextArray("messages", requests.Select(r => r.MessageId)));
        command.Parameters.Add(TextArray("alerts", requests.Select(r => r.AlertId)));
        command.Parameters.Add(TextArray("channels", requests.Select(r => r.ChannelId)));
        command.Parameters.Add(TextArray("notices", requests.Select(r => NoticeJson.Serialize(r.Notice))));
        await command.ExecuteNonQueryAsync(cancellationToken);
        _signal.Notify();
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string tenant, string alertId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(OutboxSql.List);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("alert", alertId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new DeliveryRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                DeliveryStatuses.Parse(reader.GetString(4)),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return records;
    }

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        int max, IReadOnlyCollection<string> excludedTenants, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var token = Guid.NewGuid();
        await using var command = _dataSource.CreateCommand(OutboxSql.Claim);
        command.Parameters.Add(Timestamp("now", now));
        command.Parameters.Add(Timestamp("lease", leaseUntil));
        command.Parameters.Add(TextArray("excluded", excludedTenants));
        command.Parameters.AddWithValue("max", max);
        command.Parameters.AddWithValue("token", token);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claims = new List<ClaimedDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var request = new DeliveryRequest(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), NoticeJson.Deserialize(reader.GetString(5)));
            claims.Add(new ClaimedDelivery(reader.GetInt64(0), token, request, reader.GetInt32(6), leaseUntil, reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return claims;
    }

    public async Task<bool> CompleteAsync(ClaimedDelivery claim, DeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(OutboxSql.Complete);
        command.Parameters.AddWithValue("id", claim.Id);
        command.Parameters.AddWithValue("token", claim.Token);
        command.Parameters.AddWithValue("status", completion.Status.ToWire());
        command.Parameters.Add(new NpgsqlParameter<string?>("error", NpgsqlDbType.Text) { TypedValue = completion.Error });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("next", NpgsqlDbType.TimestampTz) { TypedValue = completion.NextAttemptAt?.ToUniversalTime() });
        command.Parameters.Add(Timestamp("at", completion.At));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseAsync(ClaimedDelivery claim, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(OutboxSql.Release);
        command.Parameters.AddWithValue("id", claim.Id);
        command.Parameters.AddWithValue("token", claim.Token);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _signal.Notify();
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(OutboxSql.Purge);
        command.Parameters.Add(Timestamp("before", before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>timestamptz takes UTC only (Npgsql refuses other offsets rather than guess).</summary>
    private static NpgsqlParameter<DateTimeOffset> Timestamp(string name, DateTimeOffset value) =>
        new(name, NpgsqlDbType.TimestampTz) { TypedValue = value.ToUniversalTime() };

    private static NpgsqlParameter<string[]> TextArray(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] };
}
