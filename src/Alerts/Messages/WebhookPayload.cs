using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BudgetActors.Alerts;

/// <summary>
/// The webhook body, exactly as API.md gives it:
/// <c>{ "type", "timestamp", "data": { "tenant", "budgetId", "alertId", "threshold"?, "utilization", "state", "spent", "limit", "periodEnd", "message" } }</c>.
/// Written by hand rather than by a serializer so that the fields, their order and the decimals
/// (written exactly as held: 8.00 stays 8.00) cannot drift. <c>timestamp</c> is when the alert was
/// raised, so every retry carries the same bytes; the attempt's time is the <c>webhook-timestamp</c> header.
/// </summary>
public static class WebhookPayload
{
    /// <summary>Bodies are not embedded in HTML, so only what JSON itself requires is escaped.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(AlertNotice notice)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", notice.Type.ToWire());
            json.WriteString("timestamp", notice.CreatedAt);
            json.WriteStartObject("data");
            json.WriteString("tenant", notice.Tenant);
            json.WriteString("budgetId", notice.BudgetId);
            json.WriteString("alertId", notice.AlertId);
            if (notice.Threshold is { } threshold)
            {
                json.WriteNumber("threshold", threshold);
            }

            json.WriteNumber("utilization", notice.Utilization);
            json.WriteString("state", notice.State);
            json.WriteNumber("spent", notice.Spent);
            WriteNullable(json, "limit", notice.Limit);
            if (notice.PeriodEnd is { } periodEnd)
            {
                json.WriteString("periodEnd", periodEnd);
            }
            else
            {
                json.WriteNull("periodEnd");
            }

            json.WriteString("message", notice.Message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
