using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>One row of budget_ledger, as the tests read it.</summary>
public sealed record LedgerRow(string EntryKey, LedgerEntryKind Kind, string? ReservationId, decimal Cost, long Operations, string[] BudgetIds);

/// <summary>A tenant of the durable cluster: its paths, its service key, its budgets and its ledger rows.</summary>
public sealed class TestTenant(DurableCluster cluster, string id, string serviceKeyId, string serviceKey)
{
    public string Id { get; } = id;

    public string ServiceKeyId { get; } = serviceKeyId;

    /// <summary>The key a job worker would use: check, reserve, commit, release, record.</summary>
    public string ServiceKey { get; } = serviceKey;

    public string UsagePath => $"/v1/tenants/{Id}/usage";

    public string ReservationsPath => $"/v1/tenants/{Id}/reservations";

    public string CheckPath => $"/v1/tenants/{Id}/check";

    public string CommitPath(string reservationId) => $"/v1/tenants/{Id}/reservations/{reservationId}/commit";

    public string ReleasePath(string reservationId) => $"/v1/tenants/{Id}/reservations/{reservationId}/release";

    public string BudgetPath(string budgetId) => $"/v1/tenants/{Id}/budgets/{budgetId}";

    /// <summary>Creates a budget (201) from a JSON definition.</summary>
    public Task PutBudgetAsync(string budgetId, string definition) =>
        cluster.Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, BudgetPath(budgetId), cluster.AdminKey, definition);

    /// <summary>The budget's <c>status</c> object (periodStart, cost: { spent, reserved, … }, …).</summary>
    public async Task<JsonNode> BudgetStatusAsync(string budgetId) =>
        (await cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, BudgetPath(budgetId), ServiceKey))["status"]!;

    /// <summary>
    /// The ledger rows of this tenant that record spend and holds (hold, release, commit, usage), in
    /// sequence order; the protocol's own rows (budget fences, recorded refusals, voids) are left out.
    /// </summary>
    public async Task<List<LedgerRow>> LedgerRowsAsync()
    {
        await using var query = cluster.Database.CreateCommand(
            "SELECT entry_key, kind, reservation_id, cost, operations, budget_ids FROM budget_ledger WHERE tenant_id = $1 AND kind BETWEEN 1 AND 4 ORDER BY sequence");
        query.Parameters.Add(new NpgsqlParameter { Value = Id });
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<LedgerRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new LedgerRow(reader.GetString(0), (LedgerEntryKind)reader.GetInt16(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetDecimal(3), reader.GetInt64(4), reader.GetFieldValue<string[]>(5)));
        }

        return rows;
    }

    public static string UsageBody(string idempotencyKey, decimal cost, string attributes = "{}") =>
        $$"""{ "idempotencyKey": "{{idempotencyKey}}", "attributes": {{attributes}}, "actual": { "cost": {{Json.Money(cost)}} } }""";

    public static string ReserveBody(string idempotencyKey, decimal cost, string attributes = "{}", int ttlSeconds = 600) =>
        $$"""{ "idempotencyKey": "{{idempotencyKey}}", "attributes": {{attributes}}, "estimate": { "cost": {{Json.Money(cost)}} }, "ttlSeconds": {{ttlSeconds}} }""";

    public static string CommitBody(decimal cost) => $$"""{ "actual": { "cost": {{Json.Money(cost)}} } }""";

    public static string CheckBody(decimal cost, string attributes = "{}") =>
        $$"""{ "attributes": {{attributes}}, "estimate": { "cost": {{Json.Money(cost)}} } }""";
}
