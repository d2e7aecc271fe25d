using System.Text.Json;
using Xunit.Sdk;

namespace BudgetActors.Api.Tests.Support;

/// <summary>
/// Reads values out of JSON answers by dotted path ("status.cost.spent"). Money and counts are read as
/// <see cref="decimal"/> / <see cref="long"/> straight from the JSON text, never through double.
/// </summary>
public static class JsonPaths
{
    /// <summary>The element at a path of property names, each optionally indexed: <c>budgets[0].cost.limit</c>.</summary>
    public static JsonElement At(this JsonElement element, string path)
    {
        var current = element;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[');
            var name = bracket < 0 ? segment : segment[..bracket];
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                throw new XunitException($"No '{path}' in {element.GetRawText()}");
            }

            if (bracket >= 0)
            {
                var index = int.Parse(segment[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    throw new XunitException($"No '{path}' in {element.GetRawText()}");
                }

                current = current[index];
            }
        }

        return current;
    }

    public static decimal Dec(this JsonElement element, string path) => Typed(element, path, JsonValueKind.Number).GetDecimal();

    public static long Long(this JsonElement element, string path) => Typed(element, path, JsonValueKind.Number).GetInt64();

    public static string Str(this JsonElement element, string path) => Typed(element, path, JsonValueKind.String).GetString()!;

    public static bool Bool(this JsonElement element, string path)
    {
        var value = element.At(path);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new XunitException($"'{path}' is {value.ValueKind}, not a boolean, in {element.GetRawText()}"),
        };
    }

    public static DateTimeOffset Time(this JsonElement element, string path) => Typed(element, path, JsonValueKind.String).GetDateTimeOffset();

    public static bool IsNull(this JsonElement element, string path) => element.At(path).ValueKind == JsonValueKind.Null;

    public static string[] Strings(this JsonElement element, string path) =>
        [.. Typed(element, path, JsonValueKind.Array).EnumerateArray().Select(e => e.GetString()!)];

    public static JsonElement[] Items(this JsonElement element, string path) =>
        [.. Typed(element, path, JsonValueKind.Array).EnumerateArray()];

    /// <summary>The entry of a <c>budgets</c> array with the given id.</summary>
    public static JsonElement Budget(this JsonElement element, string budgetId) =>
        element.Items("budgets").SingleOrDefault(b => b.Str("id") == budgetId) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new XunitException($"No budget '{budgetId}' in {element.GetRawText()}");

    public static string[] BudgetIds(this JsonElement element) => [.. element.Items("budgets").Select(b => b.Str("id"))];

    private static JsonElement Typed(JsonElement element, string path, JsonValueKind kind)
    {
        var value = element.At(path);
        return value.ValueKind == kind
            ? value
            : throw new XunitException($"'{path}' is {value.ValueKind}, not {kind}, in {element.GetRawText()}");
    }
}
