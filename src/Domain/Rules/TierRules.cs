using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace BudgetActors.Domain;

/// <summary>The rules of tiers, their templates and subject assignments, checked before anything is stored.</summary>
public static partial class TierRules
{
    /// <summary>More templates than this per tier is a mistake, and every subject of the tier pays for each.</summary>
    public const int MaxBudgetsPerTier = 16;

    public const string NameRule = "Must be 1–32 characters of A–Z, a–z, 0–9 and _ : @ - (no '.': it separates the parts of a tier budget's id).";

    /// <summary>A tier id or a budget name within a tier: an id without '.', at most <see cref="TierBudgets.MaxNameLength"/> characters.</summary>
    public static bool IsName(string? value) => value is not null && NamePattern().IsMatch(value);

    public static RequestErrors Validate(TierDefinition tier, RequestErrors? errors = null)
    {
        errors ??= new();
        if (!IsName(tier.Id))
        {
            errors.Add("tier", NameRule);
        }

        Subject(tier.Subject, "subject", errors);
        if (tier.Budgets.IsDefaultOrEmpty)
        {
            errors.Add("budgets", "At least one budget: { \"daily\": { \"period\": …, \"limits\": … } }.");
            return errors;
        }

        if (tier.Budgets.Length > MaxBudgetsPerTier)
        {
            errors.Add("budgets", $"At most {MaxBudgetsPerTier} budgets per tier.");
        }

        if (tier.Budgets.Select(b => b.Id).Distinct(StringComparer.Ordinal).Count() != tier.Budgets.Length)
        {
            errors.Add("budgets", "Each budget name once.");
        }

        foreach (var template in tier.Budgets)
        {
            Template(template, $"budgets.{template.Id}", errors);
        }

        return errors;
    }

    /// <summary>An attribute that subjects are values of.</summary>
    public static void Subject(string? subject, string field, RequestErrors errors)
    {
        if (subject is null || !Identifiers.AttributeNames.Contains(subject))
        {
            errors.Add(field, $"One of: {string.Join(", ", Identifiers.AttributeNames)}.");
        }
    }

    /// <summary>A subject in a path: the attribute, its value, and (when assigning) the tier.</summary>
    public static RequestErrors ValidateSubject(string? subject, string? value, RequestErrors? errors = null)
    {
        errors ??= new();
        Subject(subject, "subject", errors);
        if (!Identifiers.IsAttributeValue(value))
        {
            errors.Add("id", Identifiers.AttributeValueRule);
        }

        return errors;
    }

    private static void Template(BudgetDefinition template, string field, RequestErrors errors)
    {
        if (!IsName(template.Id))
        {
            errors.Add(field, "The budget's name: " + NameRule);
        }

        if (template.Scope is { Count: > 0 })
        {
            errors.Add($"{field}.scope", "Set by the tier: { subject: value } for each subject.");
        }

        // A template is a budget definition but for its id and scope: the same rules, reported under its name.
        var own = BudgetRules.Validate(template with { Scope = ImmutableSortedDictionary<string, string>.Empty });
        foreach (var (name, messages) in own.ToImmutable())
        {
            if (name == "budgetId")
            {
                continue; // reported above, with the rule for names
            }

            foreach (var message in messages)
            {
                errors.Add($"{field}.{name}", message);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_:@-]{1,32}\\z")]
    private static partial Regex NamePattern();
}
