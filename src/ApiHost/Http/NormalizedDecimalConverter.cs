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
        writer.WriteNumberValue(value / 1.000000000000000000000000000000000m);
}
