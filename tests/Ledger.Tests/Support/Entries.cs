using System.Collections.Immutable;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.Ledger.Tests.Support;

/// <summary>Ledger entries for tests: realistic shapes, every tenant new so tests sharing a database never meet.</summary>
public static class Entries
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static string NewTenant() => $"tenant-{Guid.NewGuid():N}";

    /// <summary>A new tenant whose ledger partition satisfies <paramref name="wanted"/>.</summary>
    public static string NewTenant(Func<int, bool> wanted)
    {
        while (true)
        {
            var tenant = NewTenant();
            if (wanted(LedgerPartitions.Of(tenant)))
            {
                return tenant;
            }
        }
    }

    public static ImmutableSortedDictionary<string, string> Attributes { get; } =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["user"] = "alice",
            ["model"] = "gpt-4o",
            ["feature"] = "chat \"quoted\" ünïcode ✓",
        });

    public static LedgerEntry Usage(string tenant, string key, params string[] budgets) =>
        new(tenant, $"usage:{key}", LedgerEntryKind.Usage, null, [.. budgets], Attributes,
            new Amount(0.012m, 1500, 1), null, $"fingerprint-{key}", Now, [1, 2, 3]);

    public static LedgerEntry Hold(string tenant, string reservation, params string[] budgets) =>
        new(tenant, $"hold:{reservation}", LedgerEntryKind.Hold, reservation, [.. budgets], Attributes,
            new Amount(0.5m, 20_000, 1), Now.AddMinutes(5), $"fingerprint-hold-{reservation}", Now, null);

    public static LedgerEntry Commit(string tenant, string reservation, params string[] budgets) =>
        new(tenant, $"commit:{reservation}", LedgerEntryKind.Commit, reservation, [.. budgets], Attributes,
            new Amount(0.31m, 12_345, 1), null, $"fingerprint-commit-{reservation}", Now.AddSeconds(30), [42]);

    public static LedgerEntry Release(string tenant, string reservation, params string[] budgets) =>
        new(tenant, $"release:{reservation}", LedgerEntryKind.Release, reservation, [.. budgets], Attributes,
            Amount.Zero, null, $"fingerprint-release-{reservation}", Now.AddSeconds(10), null);

    /// <summary>Asserts that two entries say the same thing, field by field (arrays by content).</summary>
    public static void AssertSame(LedgerEntry expected, LedgerEntry actual)
    {
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.EntryKey, actual.EntryKey);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.ReservationId, actual.ReservationId);
        Assert.Equal(expected.BudgetIds.AsEnumerable(), actual.BudgetIds.AsEnumerable());
        Assert.Equal(expected.Attributes.AsEnumerable(), actual.Attributes.AsEnumerable());
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.RecordedAt, actual.RecordedAt);
        Assert.Equal(expected.Outcome, actual.Outcome);
    }
}
