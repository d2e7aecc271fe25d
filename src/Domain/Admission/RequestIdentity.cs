using System.Buffers;
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

    // Each thread hashes with its own buffer and writer: a request's identity allocates only its answer.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string ReservationId(string? idempotencyKey) =>
        "res-" + (idempotencyKey is null ? Guid.CreateVersion7().ToString("N") : Digest("reservation", idempotencyKey, 16));

    public static string UsageId(string idempotencyKey) => "use-" + Digest("usage", idempotencyKey, 16);

    /// <summary>Attributes in ordinal order, whatever comparer the caller built them with.</summary>
    public static ImmutableSortedDictionary<string, string> Canonical(ImmutableSortedDictionary<string, string> attributes) =>
        attributes.KeyComparer == StringComparer.Ordinal ? attributes : attributes.WithComparers(StringComparer.Ordinal);

    /// <summary>
    /// A stable hash of the parts of a request body. Each part is serialized as its runtime type (so an
    /// amount spec is hashed with all its fields); records keep declaration order, sorted maps sort;
    /// decimals lose trailing zeros and instants their offset. What is hashed is "body", then each
    /// part's JSON, each after a line feed (the values already stored in ledgers depend on exactly that).
    /// </summary>
    public static string Fingerprint(params object?[] parts)
    {
        var buffer = Buffer("body");
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        foreach (var part in parts)
        {
            buffer.Write("\n"u8);
            if (part is null)
            {
                buffer.Write("null"u8);
                continue;
            }

            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, part, part.GetType(), CanonicalJson);
            writer.Flush();
        }

        return Hex(buffer.WrittenSpan, SHA256.HashSizeInBytes);
    }

    /// <summary>The first <paramref name="bytes"/> bytes, in hex, of SHA-256 over "purpose", a line feed and the text.</summary>
    private static string Digest(string purpose, string text, int bytes)
    {
        var buffer = Buffer(purpose);
        buffer.Write("\n"u8);
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(text, span));
        return Hex(buffer.WrittenSpan, bytes);
    }

    private static ArrayBufferWriter<byte> Buffer(string purpose)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(purpose.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(purpose, span));
        return buffer;
    }

    private static string Hex(ReadOnlySpan<byte> text, int bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text, hash);
        return Convert.ToHexStringLower(hash[..bytes]);
    }

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
