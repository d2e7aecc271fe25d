using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BudgetActors.Cli.Output;

/// <summary>Reading answers for display: a missing or null member shows as "-".</summary>
public static class Json
{
    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    public static string Str(this JsonNode? node, string path, string missing = "-")
    {
        var value = node.At(path);
        return value is null ? missing : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }

    public static decimal? Dec(this JsonNode? node, string path)
    {
        var value = node.At(path);
        return value?.GetValueKind() == JsonValueKind.Number ? value.GetValue<decimal>() : null;
    }

    public static IEnumerable<JsonNode> Items(this JsonNode? node, string path = "items") =>
        node.At(path) is JsonArray items ? items.Where(i => i is not null).Select(i => i!) : [];

    /// <summary>A time of an answer to the second, in the offset it was given in (tables stay narrow).</summary>
    public static string When(this JsonNode? node, string path) =>
        DateTimeOffset.TryParse(node.Str(path), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : node.Str(path);

    /// <summary>A fraction as a percentage with one decimal ("82.5%").</summary>
    public static string Percent(decimal? fraction) =>
        fraction is { } f ? (f * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A decimal without trailing zeros ("12.5", never "12.500000").</summary>
    public static string Money(decimal? amount) =>
        amount is { } a ? a.ToString("0.######", CultureInfo.InvariantCulture) : "-";

    /// <summary>"spent / limit" of one metric of a budget status.</summary>
    public static string SpentOfLimit(JsonNode? metric) =>
        metric is null ? "-" : $"{Money(metric.Dec("spent"))} / {(metric.At("limit") is null ? "no limit" : Money(metric.Dec("limit")))}";

    /// <summary>The highest utilization over the metrics that have a limit (what decides a budget's state).</summary>
    public static decimal? Utilization(JsonNode? status) =>
        new[] { "cost", "tokens", "operations" }
            .Select(m => status.Dec(m + ".utilization"))
            .Where(u => u is not null)
            .DefaultIfEmpty(null)
            .Max();

    /// <summary>Drops null members, at every depth, from a body about to be sent (the API reads an absent member as "not given").</summary>
    public static T WithoutNulls<T>(this T node) where T : JsonNode
    {
        if (node is JsonObject o)
        {
            foreach (var name in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
            {
                o.Remove(name);
            }

            foreach (var (_, child) in o)
            {
                child!.WithoutNulls();
            }
        }

        return node;
    }
}
