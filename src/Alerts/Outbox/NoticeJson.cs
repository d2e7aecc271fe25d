using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace BudgetActors.Alerts;

/// <summary>
/// A notice as the PostgreSQL outbox stores it (jsonb): every field, decimals exact (jsonb keeps
/// numeric's scale), times as RFC 3339 with their offset. Written and read by hand so the stored
/// form is exactly this and independent of serializer settings.
/// </summary>
public static class NoticeJson
{
    public static string Serialize(AlertNotice notice)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WebhookPayload.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", notice.Type.ToWire());
            json.WriteString("tenant", notice.Tenant);
            json.WriteString("budgetId", notice.BudgetId);
            json.WriteString("alertId", notice.AlertId);
            WriteNumber(json, "threshold", notice.Threshold);
            json.WriteNumber("utilization", notice.Utilization);
            json.WriteString("state", notice.State);
            json.WriteNumber("spent", notice.Spent);
            WriteNumber(json, "limit", notice.Limit);
            WriteTime(json, "periodEnd", notice.PeriodEnd);
            json.WriteString("message", notice.Message);
            json.WriteString("createdAt", notice.CreatedAt);
            json.WriteString("currency", notice.Currency);
            json.WriteString("metric", notice.Metric);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static AlertNotice Deserialize(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var typeName = root.GetProperty("type").GetString();
        if (!AlertEventTypes.TryParse(typeName, out var type))
        {
            throw new FormatException($"Unknown alert type '{typeName}' in a stored notice.");
        }

        return new AlertNotice(
            type,
            root.GetProperty("tenant").GetString()!,
            root.GetProperty("budgetId").GetString()!,
            root.GetProperty("alertId").GetString()!,
            Number(root, "threshold"),
            root.GetProperty("utilization").GetDecimal(),
            root.GetProperty("state").GetString()!,
            root.GetProperty("spent").GetDecimal(),
            Number(root, "limit"),
            Time(root, "periodEnd"),
            root.GetProperty("message").GetString()!,
            Time(root, "createdAt") ?? throw new FormatException("A stored notice has no createdAt."),
            root.TryGetProperty("currency", out var currency) ? currency.GetString() : null,
            root.TryGetProperty("metric", out var metric) && metric.GetString() is { } m ? m : "cost");
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, decimal? value)
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

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static decimal? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : null;

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.None)
            : null;
}
