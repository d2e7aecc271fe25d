using System.Globalization;
using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>
/// Reads typed fields from a JSON object and reports a bad one with its JSON path. Money is read
/// straight from the JSON text into decimal (a number's digits, or a numeric string): never through double.
/// </summary>
internal readonly struct JsonFields(JsonElement element, string path)
{
    public string Path => path;
    public JsonElement Element => element;

    public static JsonFields Object(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? new(element, path) : throw Bad(path, "expected an object");

    /// <summary>Rejects any property not listed (typos in a price file must not pass silently); "$…" keys are comments.</summary>
    public void AllowOnly(params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.StartsWith('$') || names.Contains(property.Name, StringComparer.Ordinal)) continue;
            throw Bad($"{path}.{property.Name}", $"unknown property (allowed here: {string.Join(", ", names)})");
        }
    }

    public bool Has(string name) => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Optional(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement Required(string name) => Optional(name) ?? throw Bad($"{path}.{name}", "is required");

    public string At(string name) => $"{path}.{name}";

    public string? OptionalString(string name) => Optional(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value when value.GetString() is { Length: > 0 } text => text,
        _ => throw Bad(At(name), "expected a non-empty string"),
    };

    public string RequiredString(string name) => OptionalString(name) ?? throw Bad(At(name), "is required");

    public decimal? OptionalDecimal(string name) => Optional(name) is { } value ? ReadDecimal(value, At(name)) : null;

    public decimal RequiredDecimal(string name) => ReadDecimal(Required(name), At(name));

    public long? OptionalLong(string name) => Optional(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        _ => throw Bad(At(name), "expected a whole number"),
    };

    public DateOnly? OptionalDate(string name) => OptionalString(name) is { } text
        ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Bad(At(name), "expected a date as yyyy-MM-dd")
        : null;

    public DateOnly RequiredDate(string name) => OptionalDate(name) ?? throw Bad(At(name), "is required");

    public IEnumerable<(JsonElement Item, string Path)> Array(string name)
    {
        if (Optional(name) is not { } value) return [];
        if (value.ValueKind != JsonValueKind.Array) throw Bad(At(name), "expected an array");
        var at = At(name);
        return value.EnumerateArray().Select((item, index) => (item, $"{at}[{index}]")).ToList();
    }

    public static decimal ReadDecimal(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDecimal(out var number):
                return number;
            case JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw Bad(path, "expected a decimal number (a JSON number or a numeric string)");
        }
    }

    public static PriceCatalogFormatException Bad(string path, string problem) => new($"{path}: {problem}.");
}
