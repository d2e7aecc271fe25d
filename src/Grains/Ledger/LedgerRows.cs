using System.Collections.Immutable;
using System.Text.Json;
using Npgsql;

namespace BudgetActors.Grains.Ledger;

/// <summary>Turns stored rows (<see cref="LedgerSql.Columns"/>) into records, and attributes into and out of JSON.</summary>
internal static class LedgerRows
{
    /// <summary>Reads the record whose columns start at <paramref name="first"/>.</summary>
    public static LedgerRecord Read(NpgsqlDataReader row, int first = 0)
    {
        var entry = new LedgerEntry(
            TenantId: row.GetString(first + 1),
            EntryKey: row.GetString(first + 2),
            Kind: (LedgerEntryKind)row.GetInt16(first + 3),
            ReservationId: row.IsDBNull(first + 4) ? null : row.GetString(first + 4),
            BudgetIds: [.. row.GetFieldValue<string[]>(first + 5)],
            Attributes: ParseAttributes(row.GetString(first + 6)),
            Amount: new Amount(row.GetDecimal(first + 7), row.GetInt64(first + 8), row.GetInt64(first + 9)),
            ExpiresAt: row.IsDBNull(first + 10) ? null : row.GetFieldValue<DateTimeOffset>(first + 10),
            Fingerprint: row.GetString(first + 11),
            RecordedAt: row.GetFieldValue<DateTimeOffset>(first + 12),
            Outcome: row.IsDBNull(first + 13) ? null : row.GetFieldValue<byte[]>(first + 13),
            HoldSequence: row.IsDBNull(first + 14) ? null : row.GetInt64(first + 14),
            Epochs: row.IsDBNull(first + 15) ? [] : [.. row.GetFieldValue<long[]>(first + 15)],
            Detail: row.IsDBNull(first + 16) ? null : DetailJson.Parse(row.GetString(first + 16)));
        return new LedgerRecord(row.GetInt64(first), entry);
    }

    public static async Task<List<LedgerRecord>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var records = new List<LedgerRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    public static string FormatAttributes(ImmutableSortedDictionary<string, string> attributes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in attributes)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static ImmutableSortedDictionary<string, string> ParseAttributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        var attributes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            attributes[property.Name] = property.Value.GetString()!;
        }

        return attributes.ToImmutable();
    }
}
