using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Http;

/// <summary>Turns a PUT body into a budget definition: defaults and enum spellings here, every other rule in <see cref="BudgetRules"/>.</summary>
public static class BudgetDefinitionReader
{
    /// <summary>The definition, and all that is wrong with it (mapping and rules together) in <paramref name="map"/>.</summary>
    public static BudgetDefinition Read(string budgetId, BudgetBody body, TenantInfo tenant, RequestMapper map)
    {
        var scope = RequestMapper.Attributes(body.Scope);

        PeriodSpec period = new(PeriodType.Monthly, tenant.TimeZone);
        if (body.Period is null)
        {
            map.Error("period", "Required: { \"type\": \"daily\" | \"weekly\" | \"monthly\" | \"total\" | \"custom\" | \"rolling\", \"timezone\"?, \"start\"?, \"lengthMinutes\"?, \"windowMinutes\"? }.");
        }
        else
        {
            var type = map.Enum<PeriodType>(body.Period.Type, "period.type", required: true) ?? PeriodType.Monthly;
            period = new PeriodSpec(type, body.Period.Timezone ?? tenant.TimeZone, body.Period.Start, body.Period.LengthMinutes, body.Period.WindowMinutes);
        }

        var limits = new Limits(body.Limits?.Cost is { } cost ? Amount.RoundCost(cost) : null, body.Limits?.Tokens, body.Limits?.Operations);
        var d = Thresholds.Default;
        var thresholds = new Thresholds(body.Thresholds?.Warn ?? d.Warn, body.Thresholds?.Throttle ?? d.Throttle, body.Thresholds?.Block ?? d.Block);
        var mode = map.Enum<EnforcementMode>(body.Enforcement?.Mode, "enforcement.mode", required: false) ?? EnforcementMode.Hard;
        var e = body.Enforcement;
        var enforcement = e is { ThrottleFactor: null, GracePeriodMinutes: null, BypassPriority: null, EmergencyCeiling: null } or null
            ? null
            : new EnforcementPolicy(e.ThrottleFactor, e.GracePeriodMinutes ?? 0, e.BypassPriority, e.EmergencyCeiling);
        var carryOver = body.CarryOver is { } c ? new CarryOverPolicy(c.Unused ?? false, c.UnusedCap ?? 1m, c.Overage ?? false) : null;
        var rateLimits = body.RateLimits is { } r ? new RateLimits(r.RequestsPerMinute, r.TokensPerMinute) : null;
        var perRequest = body.PerRequest is { } p
            ? new Limits(p.Cost is { } maxCost ? Amount.RoundCost(maxCost) : null, p.Tokens, p.Operations)
            : null;
        var definition = new BudgetDefinition(budgetId, scope, period, limits, thresholds, mode, e?.DowngradeTo,
            Alerts(body.Alerts, map), Emergency(body.Emergency, map), default, enforcement, carryOver, rateLimits, perRequest);

        // Cheap, and not on the check path: the rules run here as well as in the tenant grain, so that
        // a mapping error and a rule broken elsewhere in the body are reported together.
        BudgetRules.Validate(definition, map.Errors);
        return definition;
    }

    private static AlertPolicy? Alerts(AlertsBody? body, RequestMapper map)
    {
        if (body is null)
        {
            return null;
        }

        EscalationPolicy? escalation = null;
        if (body.Escalation is { } e)
        {
            if (e.AfterMinutes is null)
            {
                map.Error("alerts.escalation.afterMinutes", "Required: whole minutes after which an alert nobody acknowledged escalates.");
            }

            escalation = new EscalationPolicy(e.AfterMinutes ?? 1, [.. e.Channels ?? []]);
        }

        return new AlertPolicy(
            body.Thresholds is null ? AlertPolicy.DefaultThresholds : [.. body.Thresholds],
            [.. body.Channels ?? []],
            body.CooldownMinutes ?? AlertPolicy.DefaultCooldownMinutes,
            body.MaxPerHour ?? AlertPolicy.DefaultMaxPerHour,
            body.Forecast ?? false,
            escalation);
    }

    private static EmergencyPolicy? Emergency(EmergencyBody? body, RequestMapper map)
    {
        if (body is null)
        {
            return null;
        }

        if (body.Amount is null)
        {
            map.Error("emergency.amount", "Required: { cost?, tokens?, operations? }, the room one emergency use adds.");
        }

        // Operations default to 0 here: an emergency adds only what it names.
        var amount = body.Amount is { } a ? new Amount(Amount.RoundCost(a.Cost ?? 0m), a.Tokens ?? 0, a.Operations ?? 0) : Amount.Zero;
        return new EmergencyPolicy(amount, body.PerPeriod ?? 1);
    }
}
