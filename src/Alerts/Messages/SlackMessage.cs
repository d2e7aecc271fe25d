using System.Buffers;
using System.Text.Json;

namespace BudgetActors.Alerts;

/// <summary>
/// A Slack incoming-webhook message: <c>text</c> (the notification and the fallback) plus Block Kit
/// <c>blocks</c> (a header, the message, the figures as fields, and a context line).
/// </summary>
public static class SlackMessage
{
    /// <summary>Slack's limit for a header's text.</summary>
    private const int MaxHeaderLength = 150;

    public static byte[] Serialize(AlertNotice notice)
    {
        var title = NoticeText.Title(notice);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WebhookPayload.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("text", $"{title}: {notice.Message}");
            json.WriteStartArray("blocks");

            json.WriteStartObject();
            json.WriteString("type", "header");
            PlainText(json, "text", title.Length <= MaxHeaderLength ? title : title[..(MaxHeaderLength - 1)] + "…");
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "section");
            Markdown(json, "text", Escape(notice.Message));
            json.WriteStartArray("fields");
            Field(json, "Spent", NoticeText.Amount(notice.Spent, notice));
            Field(json, "Limit", NoticeText.Limit(notice));
            Field(json, "Utilization", NoticeText.Percent(notice.Utilization));
            Field(json, "State", notice.State);
            Field(json, "Period ends", NoticeText.PeriodEnd(notice));
            if (notice.Threshold is { } threshold)
            {
                Field(json, "Threshold", NoticeText.Percent(threshold));
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "context");
            json.WriteStartArray("elements");
            json.WriteStartObject();
            json.WriteString("type", "mrkdwn");
            json.WriteString("text", Escape($"Tenant {notice.Tenant} · budget {notice.BudgetId} · alert {notice.AlertId} · {notice.Type.ToWire()}"));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as markup (links, mentions); these three are all it asks to escape.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static void Field(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject();
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", $"*{name}*\n{Escape(value)}");
        json.WriteEndObject();
    }

    private static void PlainText(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "plain_text");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static void Markdown(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", text);
        json.WriteEndObject();
    }
}
