using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI;

public static class ChatOptionsBudgetExtensions
{
    /// <summary>
    /// Puts budget attributes of this call (e.g. <c>("user", "alice")</c>) under
    /// <see cref="BudgetChatOptions.AttributesKey"/>, merged with any already there. Returns the same options.
    /// </summary>
    public static ChatOptions WithBudgetAttributes(this ChatOptions options, params (string Name, string Value)[] attributes)
    {
        options.AdditionalProperties ??= [];
        var merged = options.AdditionalProperties.TryGetValue(BudgetChatOptions.AttributesKey, out var existing)
            && existing is IEnumerable<KeyValuePair<string, string>> pairs
            ? new Dictionary<string, string>(pairs, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            merged[name] = value;
        }

        options.AdditionalProperties[BudgetChatOptions.AttributesKey] = merged;
        return options;
    }
}
