namespace BudgetActors.Domain;

/// <summary>
/// The admission rule of one budget: given its definition and what is already used in the period,
/// what it says of a request — allow, warn, throttle, downgrade or block — and the state it is in.
/// Pure arithmetic on exact decimals; every door (check, reservation, the chat middleware) reaches
/// it through <see cref="BudgetAccount"/>.
/// <list type="bullet">
/// <item>Utilization is the highest share of a limit in use over the limited metrics (a zero limit is full).</item>
/// <item>A hard budget blocks any request that would take spend + reserved past <c>block × limit</c>;
/// background work (a negative priority) already past <c>throttle × limit</c>.</item>
/// <item>From the throttle threshold on it throttles (or, with <c>downgradeTo</c>, downgrades), with a
/// throttle factor falling linearly from 1 at the throttle threshold to 0 at the block threshold.</item>
/// <item>From the warn threshold on it warns. A soft budget never does more than warn.</item>
/// </list>
/// </summary>
public static class AdmissionRule
{
    /// <param name="used">Spend plus the holds that count against the request.</param>
    public static (Decision Decision, decimal? ThrottleFactor, string? DowngradeTo) Decide(
        BudgetDefinition definition, Tally used, Amount requested, int priority)
    {
        var projected = used + requested;
        var thresholds = definition.Thresholds;
        var utilization = Utilization(projected, definition.Limits);
        var ceiling = priority < 0 ? thresholds.Throttle : thresholds.Block;

        Decision decision;
        decimal? throttleFactor = null;
        if (Exceeds(projected, definition.Limits, ceiling))
        {
            decision = Decision.Block;
        }
        else if (utilization >= thresholds.Throttle)
        {
            decision = definition.DowngradeTo is null ? Decision.Throttle : Decision.Downgrade;
            throttleFactor = ThrottleFactor(utilization, thresholds);
        }
        else
        {
            decision = utilization >= thresholds.Warn ? Decision.Warn : Decision.Allow;
        }

        if (definition.Mode == EnforcementMode.Soft && decision > Decision.Warn)
        {
            return (Decision.Warn, null, null);
        }

        return (decision,
            decision == Decision.Throttle ? throttleFactor : null,
            decision == Decision.Downgrade ? definition.DowngradeTo : null);
    }

    /// <summary>The state of a budget with <paramref name="used"/> in use.</summary>
    public static BudgetState StateOf(BudgetDefinition definition, Tally used)
    {
        var utilization = Utilization(used, definition.Limits);
        var t = definition.Thresholds;
        return utilization >= t.Block ? BudgetState.Blocked
            : utilization >= t.Throttle ? BudgetState.Throttled
            : utilization >= t.Warn ? BudgetState.Warning
            : BudgetState.Ok;
    }

    /// <summary>The highest share of a limit in use over the limited metrics (0 when none is limited).</summary>
    public static decimal Utilization(Tally used, Limits limits)
    {
        var max = 0m;
        if (limits.Cost is { } c) max = Math.Max(max, Share(used.Cost, c));
        if (limits.Tokens is { } t) max = Math.Max(max, Share(used.Tokens, t));
        if (limits.Operations is { } o) max = Math.Max(max, Share(used.Operations, o));
        return max;
    }

    /// <summary>One metric as the API reports it: limit, spent, reserved, remaining, utilization rounded to 6 places.</summary>
    public static MetricStatus Metric(decimal? limit, decimal spent, decimal reserved)
    {
        if (limit is not { } l)
        {
            return new MetricStatus(null, spent, reserved, null, null);
        }

        var used = spent + reserved;
        return new MetricStatus(l, spent, reserved, Math.Max(0m, l - used), Math.Round(Share(used, l), 6, MidpointRounding.ToEven));
    }

    /// <summary>True when any limited metric would pass <paramref name="fraction"/> of its limit.</summary>
    private static bool Exceeds(Tally projected, Limits limits, decimal fraction) =>
        (limits.Cost is { } c && projected.Cost > c * fraction)
        || (limits.Tokens is { } t && projected.Tokens > t * fraction)
        || (limits.Operations is { } o && projected.Operations > o * fraction);

    /// <summary>
    /// The exact share of a limit in use; a zero limit is full from the start. Decisions use it
    /// unrounded. It saturates at a million times the limit, so that no total, however large, overflows.
    /// </summary>
    private static decimal Share(decimal used, decimal limit) =>
        limit == 0m ? 1m : used >= limit * MaxShare ? MaxShare : used / limit;

    private const decimal MaxShare = 1_000_000m;

    /// <summary>1 at the throttle threshold down to 0 at the block threshold: the share of its normal rate a caller should keep.</summary>
    private static decimal ThrottleFactor(decimal utilization, Thresholds thresholds)
    {
        var band = thresholds.Block - thresholds.Throttle;
        if (band <= 0m)
        {
            return 0m;
        }

        var factor = (thresholds.Block - utilization) / band;
        return Math.Round(Math.Clamp(factor, 0m, 1m), 2, MidpointRounding.ToEven);
    }
}
