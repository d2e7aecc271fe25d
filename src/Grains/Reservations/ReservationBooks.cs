namespace BudgetActors.Grains.Reservations;

/// <summary>Which book of its tenant a reservation is kept in.</summary>
public static class ReservationBooks
{
    /// <summary>Books per tenant: enough that a tenant's reservations rarely queue behind each other's turns.</summary>
    public const int PerTenant = 16;

    public static string KeyOf(string tenantId, string reservationId) => BudgetKey.Of(tenantId, $"book-{Book(reservationId):D2}");

    /// <summary>A hash that is the same in every process (string.GetHashCode is not): FNV-1a.</summary>
    private static int Book(string reservationId)
    {
        var hash = 2166136261u;
        foreach (var c in reservationId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % PerTenant);
    }
}
