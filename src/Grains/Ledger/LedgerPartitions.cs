using BudgetActors.Domain;

namespace BudgetActors.Grains.Ledger;

/// <summary>
/// How the ledger's commit order is partitioned. Tenants are hashed into <see cref="Count"/>
/// partitions; a writer takes a transaction-scoped advisory lock per partition it writes before it
/// takes sequence values for that partition's entries, so within a partition sequences follow
/// commit order, and writers of different partitions never wait for each other. A budget belongs
/// to one tenant, so to one partition, and that is all its watermark needs.
/// </summary>
/// <remarks>
/// The function and the count are part of the ledger's format, not a setting: every process writing
/// one database must put a tenant in the same partition, or two writers of that tenant would take
/// different locks and hand out sequences out of commit order. That is why neither is configurable;
/// changing either needs every writer of the database stopped first.
/// </remarks>
public static class LedgerPartitions
{
    /// <summary>
    /// Enough that two silos rarely meet on a partition when they write different tenants, few
    /// enough that a batch carrying many tenants takes at most this many locks.
    /// </summary>
    public const int Count = 64;

    /// <summary>The key of partition 0's lock; partition p locks <c>FirstLockKey + p</c> ("BApart" and a zero word in ASCII).</summary>
    public const long FirstLockKey = 0x4241_7061_7274_0000;

    /// <summary>
    /// The partition of a tenant: <see cref="Fnv1a"/> (FNV-1a of its id's UTF-8 bytes) modulo <see cref="Count"/>.
    /// </summary>
    public static int Of(string tenantId) => (int)(Fnv1a.Of(tenantId) % Count);

    public static long LockKey(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, Count);
        return FirstLockKey + partition;
    }
}
