using System.Collections.Immutable;
using System.Text.Json;
using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Ledger;

/// <summary>
/// The stored form of a <see cref="SpendDetail"/> (budget_ledger.detail, jsonb):
/// <c>{"model", "tokens": {"input", "cachedInput", "cacheWrite", "output", "reasoning"},
/// "job": {"cpuSeconds", "memoryMbSeconds", "payloadBytes", "ops", "networkBytes"}, "multiplier",
/// "components": {name: cost}}</c>, each part only when present. Numbers are written exactly
/// (decimal text), and jsonb keeps them as numeric, so they read back to the same values.
/// </summary>
internal static class DetailJson
{
    public static string Format(SpendDetail detail)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (detail.Model is { } model)
            {
                json.WriteString("model", model);
            }

            if (detail.Tokens is { } tokens)
            {
                json.WriteStartObject("tokens");
                json.WriteNumber("input", tokens.Input);
                json.WriteNumber("cachedInput", tokens.CachedInput);
                json.WriteNumber("cacheWrite", tokens.CacheWrite);
                json.WriteNumber("output", tokens.Output);
                json.WriteNumber("reasoning", tokens.Reasoning);
                json.WriteEndObject();
            }

            if (detail.Job is { } job)
            {
                json.WriteStartObject("job");
                json.WriteNumber("cpuSeconds", job.CpuSeconds);
                json.WriteNumber("memoryMbSeconds", job.MemoryMbSeconds);
                json.WriteNumber("payloadBytes", job.PayloadBytes);
                json.WriteNumber("ops", job.Ops);
                json.WriteNumber("networkBytes", job.NetworkBytes);
                json.WriteEndObject();
            }

            if (detail.Multiplier is { } multiplier)
            {
                json.WriteNumber("multiplier", multiplier);
            }

            json.WriteStartObject("components");
            foreach (var (name, cost) in detail.Components)
            {
                json.WriteNumber(name, cost);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static SpendDetail Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var model = root.TryGetProperty("model", out var m) ? m.GetString() : null;
        LlmTokenCounts? tokens = root.TryGetProperty("tokens", out var t)
            ? new LlmTokenCounts(t.GetProperty("input").GetInt64(), t.GetProperty("cachedInput").GetInt64(), t.GetProperty("cacheWrite").GetInt64(),
                t.GetProperty("output").GetInt64(), t.GetProperty("reasoning").GetInt64())
            : null;
        JobUsage? job = root.TryGetProperty("job", out var j)
            ? new JobUsage(j.GetProperty("cpuSeconds").GetDecimal(), j.GetProperty("memoryMbSeconds").GetDecimal(), j.GetProperty("payloadBytes").GetInt64(),
                j.GetProperty("ops").GetInt64(), j.GetProperty("networkBytes").GetInt64())
            : null;
        decimal? multiplier = root.TryGetProperty("multiplier", out var x) ? x.GetDecimal() : null;
        var components = ImmutableSortedDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        if (root.TryGetProperty("components", out var c))
        {
            foreach (var part in c.EnumerateObject())
            {
                components[part.Name] = part.Value.GetDecimal();
            }
        }

        return new SpendDetail(model, tokens, job, multiplier, components.ToImmutable());
    }
}
