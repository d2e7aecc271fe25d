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

        if (definition.Enforcement is { } enforcement)
        {
            Enforcement(enforcement, definition.Thresholds, errors);
        }

        if (definition.CarryOver is { } carryOver && (carryOver.UnusedCap < 0m || carryOver.UnusedCap > MaxThreshold))
        {
            errors.Add("carryOver.unusedCap", $"A fraction of the limit from 0 to {MaxThreshold}.");
        }

        if (definition.CarryOver is not null && definition.Period.Type is PeriodType.Total or PeriodType.Rolling)
        {
            errors.Add("carryOver", "Only periods that end carry over: daily, weekly, monthly, custom.");
        }

        if (definition.RateLimits is { } rates)
        {
            RateLimits(rates, errors);
        }

        if (definition.PerRequest is { } perRequest)
        {
            PerRequest(perRequest, errors);
        }

        return errors;
    }

    public const int MaxPeriodMinutes = 366 * 24 * 60;

    private static void Enforcement(EnforcementPolicy policy, Thresholds? thresholds, RequestErrors errors)
    {
        if (policy.ThrottleFactor is < 0m or > 1m)
        {
            errors.Add("enforcement.throttleFactor", "A fraction from 0 to 1: the share of normal capacity a throttled caller keeps.");
        }

        if (policy.GracePeriodMinutes is < 0 or > MaxMinutes)
        {
            errors.Add("enforcement.gracePeriodMinutes", $"Whole minutes from 0 to {MaxMinutes}.");
        }

        if ((policy.BypassPriority is null) != (policy.EmergencyCeiling is null))
        {
            errors.Add(policy.BypassPriority is null ? "enforcement.bypassPriority" : "enforcement.emergencyCeiling",
                "bypassPriority and emergencyCeiling go together: who may pass the block threshold, and how far.");
        }

        if (policy.BypassPriority is < RequestRules.MinPriority or > RequestRules.MaxPriority)
        {
            errors.Add("enforcement.bypassPriority", $"A priority from {RequestRules.MinPriority} to {RequestRules.MaxPriority}.");
        }

        if (policy.EmergencyCeiling is { } ceiling && (ceiling <= 0m || ceiling > MaxThreshold || (thresholds is not null && ceiling < thresholds.Block)))
        {
            errors.Add("enforcement.emergencyCeiling", $"A fraction of the limit at least the block threshold and at most {MaxThreshold}.");
        }
    }

    private static void RateLimits(RateLimits rates, RequestErrors errors)
    {
        if (rates.RequestsPerMinute is null && rates.TokensPerMinute is null)
        {
            errors.Add("rateLimits", "At least one of 'requestsPerMinute', 'tokensPerMinute'.");
        }

        if (rates.RequestsPerMinute is < 1 or > 10_000_000)
        {
            errors.Add("rateLimits.requestsPerMinute", "A whole number from 1 to 10^7.");
        }

        if (rates.TokensPerMinute is < 1 or > RequestRules.MaxCount)
        {
            errors.Add("rateLimits.tokensPerMinute", "A whole number from 1 to 10^15.");
        }
    }

    private static void PerRequest(Limits perRequest, RequestErrors errors)
    {
        if (perRequest.Cost is null && perRequest.Tokens is null && perRequest.Operations is null)
        {
            errors.Add("perRequest", "At least one of 'cost', 'tokens', 'operations'.");
        }

        if (perRequest.Cost is { } cost)
        {
            RequestRules.Cost(cost, "perRequest.cost", errors);
        }

        if (perRequest.Tokens is { } tokens)
        {
            RequestRules.Count(tokens, "perRequest.tokens", errors);
        }

        if (perRequest.Operations is { } operations)
        {
            RequestRules.Count(operations, "perRequest.operations", errors);
        }
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
            errors.Add("period.type", "One of: daily, weekly, monthly, total, custom, rolling.");
        }

        if (period.Type == PeriodType.Custom)
        {
            if (period.Start is null)
            {
                errors.Add("period.start", "Required for a custom period: where the first period starts (RFC 3339).");
            }

            if (period.LengthMinutes is not (>= 1 and <= MaxPeriodMinutes))
            {
                errors.Add("period.lengthMinutes", $"Required for a custom period: whole minutes from 1 to {MaxPeriodMinutes}.");
            }
        }
        else if (period.Start is not null || period.LengthMinutes is not null)
        {
            errors.Add("period", "start and lengthMinutes belong to a custom period only.");
        }

        if (period.Type == PeriodType.Rolling)
        {
            if (period.WindowMinutes is not (>= 1 and <= MaxPeriodMinutes))
            {
                errors.Add("period.windowMinutes", $"Required for a rolling period: whole minutes from 1 to {MaxPeriodMinutes}.");
            }
        }
        else if (period.WindowMinutes is not null)
        {
            errors.Add("period.windowMinutes", "Belongs to a rolling period only.");
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
