using System.Collections.Immutable;

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

        if (definition.Alerts is { } alerts)
        {
            Alerts(alerts, errors);
        }

        if (definition.Emergency is { } emergency)
        {
            Emergency(emergency, errors);
        }

        return errors;
    }

    public const int MaxAlertThresholds = 10;
    public const int MaxChannels = 10;
    public const int MaxMinutes = 7 * 24 * 60;

    private static void Alerts(AlertPolicy alerts, RequestErrors errors)
    {
        if (alerts.Thresholds.IsDefault || alerts.Thresholds.Length > MaxAlertThresholds)
        {
            errors.Add("alerts.thresholds", $"Up to {MaxAlertThresholds} fractions of the limit.");
        }
        else
        {
            var valid = true;
            for (var i = 0; i < alerts.Thresholds.Length; i++)
            {
                valid &= Threshold(alerts.Thresholds[i], $"alerts.thresholds[{i}]", errors);
            }

            if (valid && alerts.Thresholds.Zip(alerts.Thresholds.Skip(1)).Any(pair => pair.First >= pair.Second))
            {
                errors.Add("alerts.thresholds", "Must be in ascending order, each once.");
            }
        }

        Channels(alerts.Channels, "alerts.channels", required: false, errors);
        if (alerts.CooldownMinutes is < 0 or > MaxMinutes)
        {
            errors.Add("alerts.cooldownMinutes", $"Whole minutes from 0 (no cooldown) to {MaxMinutes}.");
        }

        if (alerts.MaxPerHour is < 1 or > 1000)
        {
            errors.Add("alerts.maxPerHour", "A whole number from 1 to 1000.");
        }

        if (alerts.Escalation is { } escalation)
        {
            if (escalation.AfterMinutes is < 1 or > MaxMinutes)
            {
                errors.Add("alerts.escalation.afterMinutes", $"Whole minutes from 1 to {MaxMinutes}.");
            }

            Channels(escalation.Channels, "alerts.escalation.channels", required: true, errors);
        }
    }

    private static void Channels(ImmutableArray<string> channels, string field, bool required, RequestErrors errors)
    {
        if (channels.IsDefault || channels.Length > MaxChannels || (required && channels.IsEmpty))
        {
            errors.Add(field, required ? $"One to {MaxChannels} channel ids." : $"Up to {MaxChannels} channel ids.");
            return;
        }

        for (var i = 0; i < channels.Length; i++)
        {
            if (!Identifiers.IsId(channels[i]))
            {
                errors.Add($"{field}[{i}]", Identifiers.IdRule);
            }
        }

        if (channels.Distinct(StringComparer.Ordinal).Count() != channels.Length)
        {
            errors.Add(field, "Each channel once.");
        }
    }

    private static void Emergency(EmergencyPolicy emergency, RequestErrors errors)
    {
        RequestRules.Amount(emergency.Amount, "emergency.amount", errors);
        if (emergency.Amount is { Cost: 0m, Tokens: 0, Operations: 0 })
        {
            errors.Add("emergency.amount", "Must raise at least one metric.");
        }

        if (emergency.PerPeriod is < 1 or > 100)
        {
            errors.Add("emergency.perPeriod", "A whole number from 1 to 100.");
        }
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
