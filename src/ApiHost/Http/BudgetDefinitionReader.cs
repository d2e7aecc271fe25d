using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Http;

/// <summary>Turns a PUT body into a budget definition, reporting every invalid field.</summary>
public static class BudgetDefinitionReader
{
    public const decimal MaxThreshold = 10m;

    public static BudgetDefinition Read(string budgetId, BudgetBody body, TenantInfo tenant, RequestValidator v)
    {
        var scope = v.Attributes(body.Scope, "scope", scope: true);

        PeriodSpec period = new(PeriodType.Monthly, tenant.TimeZone);
        if (body.Period is null)
        {
            v.Error("period", "Required: { \"type\": \"daily\" | \"weekly\" | \"monthly\" | \"total\", \"timezone\"? }.");
        }
        else
        {
            var type = v.Enum<PeriodType>(body.Period.Type, "period.type", required: true) ?? PeriodType.Monthly;
            var zone = body.Period.Timezone ?? tenant.TimeZone;
            if (!PeriodCalendar.IsKnownTimeZone(zone))
            {
                v.Error("period.timezone", $"Unknown IANA time zone '{zone}'.");
            }

            period = new PeriodSpec(type, zone);
        }

        Limits limits = new(null, null, null);
        if (body.Limits is not { } l || (l.Cost is null && l.Tokens is null && l.Operations is null))
        {
            v.Error("limits", "At least one of 'cost', 'tokens', 'operations' is required.");
        }
        else
        {
            limits = new Limits(v.Cost(l.Cost, "limits.cost"), v.Count(l.Tokens, "limits.tokens"), v.Count(l.Operations, "limits.operations"));
        }

        var d = Thresholds.Default;
        var thresholds = new Thresholds(
            Threshold(body.Thresholds?.Warn ?? d.Warn, "thresholds.warn", v),
            Threshold(body.Thresholds?.Throttle ?? d.Throttle, "thresholds.throttle", v),
            Threshold(body.Thresholds?.Block ?? d.Block, "thresholds.block", v));
        if (!(thresholds.Warn <= thresholds.Throttle && thresholds.Throttle <= thresholds.Block))
        {
            v.Error("thresholds", "Must satisfy warn ≤ throttle ≤ block.");
        }

        var mode = v.Enum<EnforcementMode>(body.Enforcement?.Mode, "enforcement.mode", required: false) ?? EnforcementMode.Hard;
        var downgradeTo = body.Enforcement?.DowngradeTo;
        if (downgradeTo is not null)
        {
            v.Attributes(new() { ["model"] = downgradeTo }, "enforcement.downgradeTo");
        }

        return new BudgetDefinition(budgetId, scope, period, limits, thresholds, mode, downgradeTo);
    }

    private static decimal Threshold(decimal value, string field, RequestValidator v)
    {
        if (value <= 0m || value > MaxThreshold)
        {
            v.Error(field, $"Must be a fraction of the limit above 0 and at most {MaxThreshold}.");
        }

        return value;
    }
}
