using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace BudgetActors.Domain;

/// <summary>The shapes of names and values that requests carry (API.md, Conventions).</summary>
public static partial class Identifiers
{
    /// <summary>The attribute names a usage or a budget's scope may use.</summary>
    public static readonly ImmutableSortedSet<string> AttributeNames = ImmutableSortedSet.Create(StringComparer.Ordinal,
        "agent", "category", "environment", "model", "project", "queue", "session", "user", "workflow");

    public const string IdRule = "Must be 1–128 characters of A–Z, a–z, 0–9 and . _ : @ -.";
    public const string AttributeValueRule = "Must be 1–256 characters of A–Z, a–z, 0–9 and . _ : @ / + -.";
    public const string ScopeValueRule = "Must be 1–256 characters of A–Z, a–z, 0–9 and . _ : @ / + -, optionally ending in * (prefix match).";
    public const string IdempotencyKeyRule = "Must be 1–256 printable ASCII characters.";

    /// <summary>A tenant, budget, key or reservation id: 1–128 characters of [A-Za-z0-9._:@-].</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>An attribute value (and so a queue, an environment, a model name).</summary>
    public static bool IsAttributeValue(string? value) => value is not null && AttributeValuePattern().IsMatch(value);

    /// <summary>A value of a budget's scope: an attribute value, or a prefix of one ending in '*' ('*' alone matches any).</summary>
    public static bool IsScopeValue(string? value) =>
        value is not null && (value.EndsWith('*')
            ? value.Length <= 256 && (value.Length == 1 || AttributeValuePattern().IsMatch(value[..^1]))
            : AttributeValuePattern().IsMatch(value));

    public static bool IsIdempotencyKey(string? value) => value is not null && IdempotencyKeyPattern().IsMatch(value);

    /// <summary>Free text such as a name: 1–<paramref name="maxLength"/> characters, no control characters.</summary>
    public static bool IsText(string? value, int maxLength) =>
        value is not null && value.Length > 0 && value.Length <= maxLength && !value.Any(char.IsControl);

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}\\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9._:@/+-]{1,256}\\z")]
    private static partial Regex AttributeValuePattern();

    [GeneratedRegex("^[\\x21-\\x7E]{1,256}\\z")]
    private static partial Regex IdempotencyKeyPattern();
}
