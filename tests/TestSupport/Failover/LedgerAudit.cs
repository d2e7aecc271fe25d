using BudgetActors;
using Npgsql;

namespace BudgetActors.TestSupport.Failover;

/// <summary>
/// The tenant's ledger against what its callers were told: every acknowledged charge (usage, commit)
/// in budget_ledger exactly once with its amount, every granted reservation's hold once, and no
/// charge that nobody was told about.
/// </summary>
/// <param name="Charges">Acknowledged charges.</param>
/// <param name="Holds">Acknowledged (granted) reservations.</param>
/// <param name="Problems">Each charge or hold that is missing, doubled, of another amount, or not acknowledged; empty when all is well.</param>
public sealed record LedgerAudit(int Charges, int Holds, decimal Total, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;

    public static async Task<LedgerAudit> RunAsync(NpgsqlDataSource database, string tenantId, IReadOnlyCollection<FailoverOperation> operations)
    {
        var rows = new List<(string Key, LedgerEntryKind Kind, decimal Cost)>();
        await using (var query = database.CreateCommand(
            "SELECT entry_key, kind, cost FROM budget_ledger WHERE tenant_id = $1 AND kind IN ($2, $3, $4)"))
        {
            query.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            query.Parameters.Add(new NpgsqlParameter { Value = (short)LedgerEntryKind.Hold });
            query.Parameters.Add(new NpgsqlParameter { Value = (short)LedgerEntryKind.Commit });
            query.Parameters.Add(new NpgsqlParameter { Value = (short)LedgerEntryKind.Usage });
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), (LedgerEntryKind)reader.GetInt16(1), reader.GetDecimal(2)));
            }
        }

        var stored = rows.ToLookup(r => r.Key);
        var acknowledged = operations.Where(o => o.Acknowledged && o.EntryKey is not null).ToList();
        var problems = new List<string>();
        foreach (var operation in acknowledged)
        {
            var found = stored[operation.EntryKey!].ToList();
            if (found.Count != 1)
            {
                problems.Add($"{operation.Kind} {operation.Key}: {found.Count} ledger rows under {operation.EntryKey}, expected 1");
            }
            else if (operation.Kind != FailoverRequestKind.Reserve && found[0].Cost != operation.Cost)
            {
                problems.Add($"{operation.Kind} {operation.Key}: ledger cost {found[0].Cost}, acknowledged {operation.Cost}");
            }
        }

        var told = acknowledged.Select(o => o.EntryKey!).ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Kind != LedgerEntryKind.Hold && !told.Contains(r.Key)))
        {
            problems.Add($"{row.Kind} {row.Key} ({row.Cost}) is in the ledger but was never acknowledged");
        }

        var charges = acknowledged.Where(o => o.Kind != FailoverRequestKind.Reserve).ToList();
        return new LedgerAudit(charges.Count, acknowledged.Count - charges.Count, charges.Sum(o => o.Cost), problems);
    }

    public override string ToString() => Ok
        ? $"every acknowledged charge in budget_ledger once with its amount ({Charges} charges, total {Total}; {Holds} holds), no other charge"
        : $"{Problems.Count} LEDGER PROBLEMS, e.g. {string.Join("; ", Problems.Take(5))}";
}
