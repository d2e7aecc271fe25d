using System.Text;

namespace BudgetActors.Domain;

/// <summary>
/// A hash of a string that is the same in every process and every version (FNV-1a, 32 bits, of its
/// UTF-8 bytes), for placements that several processes must agree on: <see cref="string.GetHashCode()"/>
/// is randomized per process. Ours rather than Orleans' StableHash: a ledger partition is part of
/// the database's format and must not change with an Orleans upgrade.
/// </summary>
public static class Fnv1a
{
    public static uint Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> small = stackalloc byte[256];
        var length = Encoding.UTF8.GetByteCount(value);
        var bytes = length <= small.Length ? small[..length] : new byte[length];
        Encoding.UTF8.GetBytes(value, bytes);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
