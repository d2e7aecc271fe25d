using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Http;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BudgetActors.Cli.Budgets;

/// <summary>One budget of a file: its id and the body to PUT.</summary>
public sealed record BudgetSpec(string Id, JsonObject Body);

/// <summary>
/// Reads the budgets of a JSON or YAML file. Accepted shapes (either syntax): one budget with an
/// <c>id</c>; a list of them; or <c>{ "budgets": [ … ] }</c> / <c>{ "budgets": { "&lt;id&gt;": { … } } }</c>.
/// The body is what <c>PUT …/budgets/{id}</c> takes (API.md), so a file can hold anything the API can.
/// </summary>
public static class BudgetFile
{
    public static IReadOnlyList<BudgetSpec> Read(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput($"cannot read {path}: {e.Message}");
        }

        var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || (path == "-" && !text.TrimStart().StartsWith('{') && !text.TrimStart().StartsWith('['));
        return Budgets(yaml ? FromYaml(text, path) : FromJson(text, path), path);
    }

    public static IReadOnlyList<BudgetSpec> Budgets(JsonNode? document, string path)
    {
        var specs = new List<BudgetSpec>();
        switch (document)
        {
            case JsonObject o when o["budgets"] is JsonArray list:
                specs.AddRange(list.Select((b, i) => WithId(b, null, $"{path}: budgets[{i}]")));
                break;
            case JsonObject o when o["budgets"] is JsonObject byId:
                specs.AddRange(byId.Select(kv => WithId(kv.Value, kv.Key, $"{path}: budgets.{kv.Key}")));
                break;
            case JsonArray list:
                specs.AddRange(list.Select((b, i) => WithId(b, null, $"{path}: [{i}]")));
                break;
            case JsonObject single:
                specs.Add(WithId(single, null, path));
                break;
            default:
                throw CliException.BadInput($"{path}: expected a budget, a list of budgets or {{ budgets: … }}");
        }

        if (specs.Count == 0)
        {
            throw CliException.BadInput($"{path}: no budgets in the file");
        }

        var twice = specs.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw CliException.BadInput($"{path}: budget '{twice.Key}' is defined more than once");
        }

        return specs;
    }

    private static BudgetSpec WithId(JsonNode? node, string? key, string where)
    {
        if (node is not JsonObject budget)
        {
            throw CliException.BadInput($"{where}: a budget must be an object");
        }

        var body = (JsonObject)budget.DeepClone();
        var id = key;
        if (body["id"] is { } idNode)
        {
            id ??= idNode.GetValueKind() == JsonValueKind.String ? idNode.GetValue<string>() : null;
            body.Remove("id");
        }

        // Attribute values are strings; a YAML `user: 42` means the user "42", not a number.
        if (body["scope"] is JsonObject scope)
        {
            foreach (var name in scope.Select(kv => kv.Key).ToList())
            {
                if (scope[name] is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    scope[name] = v.ToJsonString();
                }
            }
        }

        // The service checks the id's form; here it only has to be there.
        return string.IsNullOrWhiteSpace(id) ? throw CliException.BadInput($"{where}: the budget has no id") : new BudgetSpec(id, body);
    }

    private static JsonNode? FromJson(string text, string path)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw CliException.BadInput($"{path}: not valid JSON: {e.Message}");
        }
    }

    private static JsonNode? FromYaml(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw CliException.BadInput($"{path}: not valid YAML (line {e.Start.Line}): {e.Message}");
        }

        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
    }

    /// <summary>
    /// YAML to JSON by the YAML core schema: a plain (unquoted) scalar that reads as a number, a boolean
    /// or null is one; a quoted scalar is always a string. Numbers are read as decimal, so money in a
    /// YAML file is as exact as in a JSON one.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => Plain(scalar.Value),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };

    private static JsonNode? Plain(string? value)
    {
        switch (value)
        {
            case null or "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            // Through JsonNode.Parse so that the number is written as given ("0.90" stays a number, exactly).
            return JsonNode.Parse(number.ToString(CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(value);
    }
}
