using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>
/// Estimates the tokens tool definitions add to a prompt. OpenAI does not publish the exact text it
/// renders tools into; this follows the accounting of OpenAI's cookbook ("How to count tokens with
/// tiktoken", num_tokens_for_tools): per function a fixed start plus the tokens of
/// "name:description"; per parameter list a fixed start, per parameter a fixed cost plus the tokens
/// of "name:type:description" and of its enum values; a fixed end. Constants below are the
/// cookbook's for gpt-4o (gpt-4 / gpt-3.5: 10 per function). Nested object parameters are counted
/// the same way at every depth (the cookbook stops at the top level). The result is an estimate:
/// <see cref="TokenEstimator.ToolsErrorMargin"/> (±20%) is the margin we state for it.
/// </summary>
internal static class ToolTokenCounter
{
    private const int FunctionStartO200k = 7;
    private const int FunctionStartCl100k = 10;
    private const int PropertiesStart = 3;
    private const int PropertyStart = 3;
    private const int EnumStart = -3;
    private const int EnumItem = 3;
    private const int FunctionsEnd = 12;

    public static long Count(IReadOnlyList<ToolDefinition> tools, Func<string, long> count, TokenEncoding encoding)
    {
        if (tools.Count == 0) return 0;
        var functionStart = encoding == TokenEncoding.Cl100kBase ? FunctionStartCl100k : FunctionStartO200k;
        long total = 0;
        foreach (var tool in tools)
        {
            total += functionStart + count($"{tool.Name}:{WithoutFinalPeriod(tool.Description)}");
            if (tool.Parameters is { } schema) total += CountProperties(schema, count);
        }
        return total + FunctionsEnd;
    }

    private static long CountProperties(JsonElement schema, Func<string, long> count)
    {
        if (schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object
            || !properties.EnumerateObject().Any())
            return 0;

        long total = PropertiesStart;
        foreach (var property in properties.EnumerateObject())
        {
            var definition = property.Value;
            total += PropertyStart;
            if (definition.ValueKind != JsonValueKind.Object)
            {
                total += count(property.Name);
                continue;
            }
            if (definition.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                total += EnumStart;
                foreach (var value in values.EnumerateArray())
                    total += EnumItem + count(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
            }
            var type = definition.TryGetProperty("type", out var t) ? TypeText(t) : "";
            var description = definition.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            total += count($"{property.Name}:{type}:{WithoutFinalPeriod(description)}");

            // One level of nesting per step: an object's properties, or an array's item object's properties.
            total += CountProperties(definition, count);
            if (definition.TryGetProperty("items", out var items)) total += CountProperties(items, count);
        }
        return total;
    }

    private static string TypeText(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => type.GetString()!,
        JsonValueKind.Array => string.Join(" | ", type.EnumerateArray().Select(TypeText)),
        _ => type.GetRawText(),
    };

    private static string WithoutFinalPeriod(string? text) => text is null ? "" : text.EndsWith('.') ? text[..^1] : text;
}
