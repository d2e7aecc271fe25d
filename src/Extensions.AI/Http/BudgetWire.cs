using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// The JSON of API.md, written field by field so that exactly the documented fields go out (the
/// server refuses unknown ones), and read into <see cref="decimal"/> for money.
/// </summary>
internal static class BudgetWire
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    public static T? Read<T>(byte[] json) where T : class =>
        json.Length == 0 ? null : JsonSerializer.Deserialize<T>(json, ReadOptions);

    /// <summary>Seconds on the wire: rounded up, at least one.</summary>
    public static int TtlSeconds(TimeSpan ttl) => (int)Math.Clamp(Math.Ceiling(ttl.TotalSeconds), 1, int.MaxValue);

    public static byte[] ReserveBody(BudgetReservationRequest request) => Write(w =>
    {
        if (request.IdempotencyKey is not null)
        {
            w.WriteString("idempotencyKey", request.IdempotencyKey);
        }

        w.WriteStartObject("attributes");
        foreach (var (name, value) in request.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        WriteEstimate(w, request.Estimate);
        w.WriteNumber("ttlSeconds", TtlSeconds(request.Ttl));
        w.WriteNumber("priority", request.Priority);
    });

    public static byte[] CommitBody(AmountSpec actual) => Write(w => WriteActual(w, actual));

    private static void WriteEstimate(Utf8JsonWriter w, AmountSpec estimate)
    {
        switch (estimate)
        {
            case ExplicitAmount { Amount: var amount }:
                WriteAmount(w, "estimate", amount);
                break;
            case LlmEstimate llm:
                WriteLlm(w, llm);
                break;
            default:
                throw new ArgumentException($"A reservation cannot be estimated as {estimate.GetType().Name}; use an explicit amount or an LlmEstimate.", nameof(estimate));
        }
    }

    private static void WriteActual(Utf8JsonWriter w, AmountSpec actual)
    {
        switch (actual)
        {
            case ExplicitAmount { Amount: var amount }:
                WriteAmount(w, "actual", amount);
                break;
            case LlmUsage usage:
                WriteLlmUsage(w, usage);
                break;
            case JobUsage job:
                w.WriteStartObject("jobUsage");
                w.WriteNumber("cpuSeconds", job.CpuSeconds);
                w.WriteNumber("memoryMbSeconds", job.MemoryMbSeconds);
                w.WriteNumber("payloadBytes", job.PayloadBytes);
                w.WriteNumber("ops", job.Ops);
                w.WriteNumber("networkBytes", job.NetworkBytes);
                w.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"A commit cannot state its actual amount as {actual.GetType().Name}.", nameof(actual));
        }
    }

    private static void WriteAmount(Utf8JsonWriter w, string field, Amount amount)
    {
        w.WriteStartObject(field);
        w.WriteNumber("cost", amount.Cost);
        w.WriteNumber("tokens", amount.Tokens);
        w.WriteNumber("operations", amount.Operations);
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>llm</c>: model, then messages (or prompt when there are none), then maxOutputTokens; a tier only
    /// when one is set. Tool definitions are not sent: API.md has no field for them yet.
    /// </summary>
    private static void WriteLlm(Utf8JsonWriter w, LlmEstimate llm)
    {
        w.WriteStartObject("llm");
        w.WriteString("model", llm.Model);
        if (!llm.Messages.IsDefaultOrEmpty)
        {
            w.WriteStartArray("messages");
            foreach (var message in llm.Messages)
            {
                w.WriteStartObject();
                w.WriteString("role", message.Role);
                w.WriteString("content", message.Content);
                if (message.Name is not null)
                {
                    w.WriteString("name", message.Name);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteString("prompt", llm.Prompt ?? "");
        }

        w.WriteNumber("maxOutputTokens", llm.MaxOutputTokens);
        if (llm.Tier is not null)
        {
            w.WriteString("tier", llm.Tier);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// <c>llmUsage</c>: the four fields of API.md always; cache writes, reasoning tokens, the Anthropic
    /// shape and a tier only when they carry something, so a plain usage is exactly API.md's example.
    /// </summary>
    private static void WriteLlmUsage(Utf8JsonWriter w, LlmUsage usage)
    {
        w.WriteStartObject("llmUsage");
        w.WriteString("model", usage.Model);
        w.WriteNumber("inputTokens", usage.InputTokens);
        w.WriteNumber("outputTokens", usage.OutputTokens);
        w.WriteNumber("cachedInputTokens", usage.CachedInputTokens);
        if (usage.CacheWriteTokens != 0)
        {
            w.WriteNumber("cacheWriteTokens", usage.CacheWriteTokens);
        }

        if (usage.ReasoningTokens != 0)
        {
            w.WriteNumber("reasoningTokens", usage.ReasoningTokens);
        }

        if (usage.Shape is { } shape)
        {
            w.WriteString("shape", shape == LlmUsageShape.OpenAI ? "openai" : "anthropic");
        }

        if (usage.CacheWrite1hTokens != 0)
        {
            w.WriteNumber("cacheWrite1hTokens", usage.CacheWrite1hTokens);
        }

        if (usage.Tier is not null)
        {
            w.WriteString("tier", usage.Tier);
        }

        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
