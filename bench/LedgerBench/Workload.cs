using System.Collections.Immutable;
using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.LedgerBench;

/// <summary>
/// What is appended: the commit of a typical chat completion — three budgets (tenant month, user
/// day, user+model day), three attributes, exact money, a 48-byte outcome and how it was priced
/// (model, tokens by kind, three priced parts: what an llmUsage commit stores) — each under a new key.
/// </summary>
public static class Workload
{
    private const int Tenants = 8;
    private static readonly byte[] Outcome = [.. Enumerable.Range(0, 48).Select(i => (byte)i)];

    private static readonly SpendDetail Detail = new("gpt-4o", new LlmTokenCounts(1_100, 200, 0, 200, 0), null, null,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("input", 0.00275m), KeyValuePair.Create("cachedInput", 0.00025m), KeyValuePair.Create("output", 0.009345m)]));

    /// <param name="tenant">All entries on this tenant; by default callers spread over eight tenants.</param>
    public static LedgerEntry Entry(string row, int caller, long n, string? tenant = null)
    {
        var user = $"user-{caller % 50}";
        return new LedgerEntry(
            TenantId: tenant ?? $"bench-tenant-{caller % Tenants}",
            EntryKey: $"commit:{row}-{caller}-{n}",
            Kind: LedgerEntryKind.Commit,
            ReservationId: $"{row}-{caller}-{n}",
            BudgetIds: ["month", $"{user}-day", $"{user}-gpt-4o-day"],
            Attributes: ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)
                .Add("user", user).Add("model", "gpt-4o").Add("feature", "chat"),
            Amount: new Amount(0.012345m, 1_500, 1),
            ExpiresAt: null,
            Fingerprint: "sha256:3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea",
            RecordedAt: DateTimeOffset.UtcNow,
            Outcome: Outcome,
            Detail: Detail);
    }
}
