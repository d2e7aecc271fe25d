using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetActors.Domain;

/// <summary>
/// Ids derived from idempotency keys, and fingerprints of request bodies: a retry with the same key
/// lands on the same grain, which compares fingerprints to tell a retry from a different request.
/// </summary>
public static class RequestIdentity
{
    // The same request must hash the same however it was written: 1.0 and 1.00 are one amount, and
    // 10:00+01:00 and 09:00Z one instant.
    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        Converters = { new CanonicalDecimal(), new CanonicalInstant() },
    };

    public static string ReservationId(string? idempotencyKey) =>
        "res-" + (idempotencyKey is null ? Guid.CreateVersion7().ToString("N") : Digest("reservation", idempotencyKey)[..32]);

    public static string UsageId(string idempotencyKey) => "use-" + Digest("usage", idempotencyKey)[..32];

    /// <summary>Attributes in ordinal order, whatever comparer the caller built them with.</summary>
    public static ImmutableSortedDictionary<string, string> Canonical(ImmutableSortedDictionary<string, string> attributes) =>
        attributes.KeyComparer == StringComparer.Ordinal ? attributes : attributes.WithComparers(StringComparer.Ordinal);

    /// <summary>
    /// A stable hash of the parts of a request body. Each part is serialized as its runtime type (so an
    /// amount spec is hashed with all its fields); records keep declaration order, sorted maps sort;
    /// decimals lose trailing zeros and instants their offset.
    /// </summary>
    public static string Fingerprint(params object?[] parts) =>
        Digest("body", string.Join('\n', parts.Select(p => p is null ? "null" : JsonSerializer.Serialize(p, p.GetType(), CanonicalJson))));

    private static string Digest(string purpose, string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + "\n" + text)));

    private sealed class CanonicalDecimal : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        // Dividing by 1 with 28 zero decimals leaves the value and drops the trailing zeros of its scale.
        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteRawValue((value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    private sealed class CanonicalInstant : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.UtcTicks);
    }
}
