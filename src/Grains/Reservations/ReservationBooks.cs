using BudgetActors.Domain;

namespace BudgetActors.Grains.Reservations;

/// <summary>Which book of its tenant a reservation is kept in.</summary>
public static class ReservationBooks
{
    /// <summary>Books per tenant: enough that a tenant's reservations rarely queue behind each other's turns.</summary>
    public const int PerTenant = 16;

    public static string KeyOf(string tenantId, string reservationId) => BudgetKey.Of(tenantId, $"book-{Book(reservationId):D2}");

    private static int Book(string reservationId) => (int)(Fnv1a.Of(reservationId) % PerTenant);
}
