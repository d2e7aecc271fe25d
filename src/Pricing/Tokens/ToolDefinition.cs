using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>A function/tool the model may call, as sent with the request.</summary>
/// <param name="Parameters">The JSON Schema of the arguments (an object schema), if any.</param>
public sealed record ToolDefinition(string Name, string? Description = null, JsonElement? Parameters = null)
{
    /// <summary>
    /// Reads a JSON array of tool definitions in any of the common request formats: OpenAI Chat
    /// Completions (<c>{"type":"function","function":{name, description, parameters}}</c>), OpenAI
    /// Responses / legacy functions (<c>{name, description, parameters}</c>) and Anthropic
    /// (<c>{name, description, input_schema}</c>).
    /// </summary>
    /// <exception cref="PricingException">Not an array of objects with a name.</exception>
    public static IReadOnlyList<ToolDefinition> ParseList(JsonElement tools)
    {
        if (tools.ValueKind != JsonValueKind.Array) throw new PricingException("tools: expected an array of tool definitions.");
        var list = new List<ToolDefinition>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var function = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var inner) ? inner : tool;
            if (function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || name.GetString() is not { Length: > 0 } toolName)
                throw new PricingException($"tools[{index}]: expected an object with a name.");
            var description = function.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            JsonElement? parameters = function.TryGetProperty("parameters", out var p) || function.TryGetProperty("input_schema", out p)
                ? p.Clone()
                : null;
            list.Add(new ToolDefinition(toolName, description, parameters));
            index++;
        }
        return list;
    }
}
