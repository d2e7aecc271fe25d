namespace BudgetActors.Domain;

/// <summary>The rules of a budget definition, checked before a budget is created or replaced.</summary>
public static class BudgetRules
{
    /// <summary>Thresholds are fractions of the limit; above 1 a budget admits past its limit (a soft ceiling).</summary>
    public const decimal MaxThreshold = 10m;

    public static RequestErrors Validate(BudgetDefinition definition, RequestErrors? errors = null)
    {
        errors ??= new();
        if (!Identifiers.IsId(definition.Id))
        {
            errors.Add("budgetId", Identifiers.IdRule);
        }

        Scope(definition.Scope, errors);
        Period(definition.Period, errors);
        Limits(definition.Limits, errors);
        Thresholds(definition.Thresholds, errors);
        if (!Enum.IsDefined(definition.Mode))
        {
            errors.Add("enforcement.mode", "One of: hard, soft.");
        }

        if (definition.DowngradeTo is { } model && !Identifiers.IsAttributeValue(model))
        {
            errors.Add("enforcement.downgradeTo", Identifiers.AttributeValueRule);
        }

        return errors;
    }

    private static void Scope(IReadOnlyDictionary<string, string>? scope, RequestErrors errors)
    {
        if (scope is null)
        {
            errors.Add("scope", "Required (an empty object for the whole tenant).");
            return;
        }

        foreach (var (name, value) in scope)
        {
            if (!Identifiers.AttributeNames.Contains(name))
            {
                errors.Add($"scope.{name}", $"Unknown attribute; use one of: {string.Join(", ", Identifiers.AttributeNames)}.");
            }
            else if (!Identifiers.IsScopeValue(value))
            {
                errors.Add($"scope.{name}", Identifiers.ScopeValueRule);
            }
        }
    }

    private static void Period(PeriodSpec? period, RequestErrors errors)
    {
        if (period is null)
        {
            errors.Add("period", "Required: { \"type\": \"daily\" | \"weekly\" | \"monthly\" | \"total\", \"timezone\"? }.");
            return;
        }

        if (!Enum.IsDefined(period.Type))
        {
            errors.Add("period.type", "One of: daily, weekly, monthly, total.");
        }

        if (period.TimeZone is null || !PeriodCalendar.IsKnownTimeZone(period.TimeZone))
        {
            errors.Add("period.timezone", $"Unknown IANA time zone '{period.TimeZone}'.");
        }
    }

    private static void Limits(Limits? limits, RequestErrors errors)
    {
        if (limits is null || (limits.Cost is null && limits.Tokens is null && limits.Operations is null))
        {
            errors.Add("limits", "At least one of 'cost', 'tokens', 'operations' is required.");
            return;
        }

        if (limits.Cost is { } cost)
        {
            RequestRules.Cost(cost, "limits.cost", errors);
        }

        if (limits.Tokens is { } tokens)
        {
            RequestRules.Count(tokens, "limits.tokens", errors);
        }

        if (limits.Operations is { } operations)
        {
            RequestRules.Count(operations, "limits.operations", errors);
        }
    }

    private static void Thresholds(Thresholds? thresholds, RequestErrors errors)
    {
        if (thresholds is null)
        {
            errors.Add("thresholds", "Required (the defaults are warn 0.75, throttle 0.9, block 1).");
            return;
        }

        var valid = Threshold(thresholds.Warn, "thresholds.warn", errors)
            & Threshold(thresholds.Throttle, "thresholds.throttle", errors)
            & Threshold(thresholds.Block, "thresholds.block", errors);
        if (valid && !(thresholds.Warn <= thresholds.Throttle && thresholds.Throttle <= thresholds.Block))
        {
            errors.Add("thresholds", "Must satisfy warn ≤ throttle ≤ block.");
        }
    }

    private static bool Threshold(decimal value, string field, RequestErrors errors)
    {
        if (value <= 0m || value > MaxThreshold)
        {
            errors.Add(field, $"Must be a fraction of the limit above 0 and at most {MaxThreshold}.");
            return false;
        }

        return true;
    }
}
