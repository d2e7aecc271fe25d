using System.Text.Json;
using System.Text.Json.Nodes;

namespace BudgetActors.Cli.Budgets;

/// <summary>
/// Whether a budget as the service has it already is what a file asks for, so that <c>apply</c> can
/// leave it alone (no PUT, no <c>budget.updated</c> event, nothing changes).
/// </summary>
/// <remarks>
/// The service answers a definition with its defaults filled in (thresholds, mode, alert cooldown …)
/// and leaves unset optional sections out. So: every member the file gives must equal the service's
/// (numbers as decimals, 0.9 = 0.90); a member the service has and the file leaves out counts as equal
/// only when it holds that member's default, i.e. when a PUT of the file would give it again.
/// </remarks>
public static class BudgetDiff
{
    /// <summary>Server-side defaults of members a definition may leave out, by path.</summary>
    private static readonly Dictionary<string, JsonNode> Defaults = new()
    {
        ["thresholds.warn"] = 0.75m,
        ["thresholds.throttle"] = 0.90m,
        ["thresholds.block"] = 1.00m,
        ["enforcement.mode"] = "hard",
        ["alerts.thresholds"] = new JsonArray(0.5m, 0.75m, 0.9m, 1.0m),
        ["alerts.cooldownMinutes"] = 60,
        ["alerts.maxPerHour"] = 10,
        ["emergency.perPeriod"] = 1,
    };

    /// <summary>Members of the answer that are not part of the definition.</summary>
    private static readonly HashSet<string> NotDefinition = ["id", "status", "tier"];

    /// <param name="tenantTimezone">What <c>period.timezone</c> defaults to.</param>
    /// <returns>The paths that differ; empty when the budget is unchanged.</returns>
    public static IReadOnlyList<string> Differences(JsonObject wanted, JsonObject current, string? tenantTimezone)
    {
        var differences = new List<string>();
        var defaults = new Dictionary<string, JsonNode>(Defaults);
        if (tenantTimezone is not null)
        {
            defaults["period.timezone"] = tenantTimezone;
        }

        Compare(wanted, current, "", differences, defaults);
        return differences;
    }

    private static void Compare(JsonObject wanted, JsonObject current, string prefix, List<string> differences, Dictionary<string, JsonNode> defaults)
    {
        foreach (var (name, value) in wanted)
        {
            var path = prefix + name;
            if (prefix == "" && NotDefinition.Contains(name))
            {
                continue;
            }

            var theirs = current[name];
            if (IsAbsent(value))
            {
                if (!IsAbsent(theirs) && !IsDefault(path, theirs, defaults))
                {
                    differences.Add(path);
                }
            }
            else if (value is JsonObject mine && theirs is JsonObject theirObject)
            {
                Compare(mine, theirObject, path + ".", differences, defaults);
            }
            else if (!Same(value, theirs))
            {
                differences.Add(path);
            }
        }

        foreach (var (name, theirs) in current)
        {
            var path = prefix + name;
            if ((prefix == "" && NotDefinition.Contains(name)) || wanted.ContainsKey(name) || IsAbsent(theirs) || IsDefault(path, theirs, defaults))
            {
                continue;
            }

            // An object the file leaves out is unchanged only if all of it is defaults (thresholds, say).
            if (theirs is JsonObject theirObject)
            {
                Compare([], theirObject, path + ".", differences, defaults);
            }
            else
            {
                differences.Add(path);
            }
        }
    }

    private static bool IsAbsent(JsonNode? node) => node is null || (node is JsonObject o && o.All(kv => IsAbsent(kv.Value)));

    private static bool IsDefault(string path, JsonNode? value, Dictionary<string, JsonNode> defaults) =>
        defaults.TryGetValue(path, out var fallback) ? Same(fallback, value) : value is JsonValue v && v.GetValueKind() == JsonValueKind.False || value is JsonArray { Count: 0 };

    /// <summary>Equal as JSON values: numbers by decimal value, strings ordinal, arrays in order, objects by member.</summary>
    public static bool Same(JsonNode? a, JsonNode? b)
    {
        if (IsAbsent(a) || IsAbsent(b))
        {
            return IsAbsent(a) && IsAbsent(b);
        }

        switch (a, b)
        {
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second));
            case (JsonObject x, JsonObject y):
                return x.Where(kv => !IsAbsent(kv.Value)).All(kv => Same(kv.Value, y[kv.Key]))
                    && y.Where(kv => !IsAbsent(kv.Value)).All(kv => x.ContainsKey(kv.Key));
            case (JsonValue x, JsonValue y):
                var (kx, ky) = (x.GetValueKind(), y.GetValueKind());
                if (kx == JsonValueKind.Number && ky == JsonValueKind.Number)
                {
                    return Number(x) == Number(y);
                }

                return kx == ky && (kx != JsonValueKind.String
                    ? x.ToJsonString() == y.ToJsonString()
                    : string.Equals(x.GetValue<string>(), y.GetValue<string>(), StringComparison.Ordinal));
            default:
                return false;
        }
    }

    // Through the text: a JsonValue made from an int does not hand out a decimal.
    private static decimal Number(JsonValue value) =>
        decimal.Parse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
}
