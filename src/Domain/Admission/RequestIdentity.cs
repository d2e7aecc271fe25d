using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BudgetActors.Domain;

/// <summary>
/// Ids derived from idempotency keys, and fingerprints of request bodies: a retry with the same key
/// lands on the same grain, which compares fingerprints to tell a retry from a different request.
/// </summary>
public static class RequestIdentity
{
    public static string ReservationId(string? idempotencyKey) =>
        "res-" + (idempotencyKey is null ? Guid.CreateVersion7().ToString("N") : Digest("reservation", idempotencyKey)[..32]);

    public static string UsageId(string idempotencyKey) => "use-" + Digest("usage", idempotencyKey)[..32];

    /// <summary>
    /// A stable hash of the parts of a request body. Each part is serialized as its runtime type (so an
    /// amount spec is hashed with all its fields); records keep declaration order, sorted maps sort.
    /// </summary>
    public static string Fingerprint(params object?[] parts) =>
        Digest("body", string.Join('\n', parts.Select(p => p is null ? "null" : JsonSerializer.Serialize(p, p.GetType()))));

    private static string Digest(string purpose, string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + "\n" + text)));
}
