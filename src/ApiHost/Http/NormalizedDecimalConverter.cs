using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetActors.ApiHost.Http;

/// <summary>
/// Writes decimals without trailing zeros, so an amount reads the same whether it was just computed
/// (6.5) or came back from PostgreSQL's numeric(28,6) (6.500000). The value is unchanged: only its
/// scale is. Used for answers only; requests are read by the default, strict converter.
/// </summary>
public sealed class NormalizedDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(HasTrailingZero(value) ? value / 1.000000000000000000000000000000000m : value);

    /// <summary>
    /// Whether the last digit of the value's 96-bit integer is a zero after the point: only then is
    /// the (slow) division needed. 2^32 and 2^64 are both 6 modulo 10, so the integer's last digit is
    /// (6·hi + 6·mid + lo) mod 10.
    /// </summary>
    private static bool HasTrailingZero(decimal value)
    {
        if (value.Scale == 0)
        {
            return false;
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var lastDigit = (6UL * (uint)bits[2] + 6UL * (uint)bits[1] + (uint)bits[0]) % 10;
        return lastDigit == 0;
    }
}
