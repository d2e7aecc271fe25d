namespace BudgetActors.Domain;

/// <summary>
/// The admission rule of one budget: given its definition (limits in force), what is already used in
/// the period and the request, what it says — allow, warn, throttle, downgrade or block — and why.
/// Pure arithmetic on exact decimals; every door reaches it through <see cref="BudgetAccount"/>. In order:
/// <list type="number">
/// <item>A request over the budget's per-request cap is blocked, whatever the mode (the query-level tier of a cost guard).</item>
/// <item>Utilization is the highest share of a limit in use over the limited metrics (a zero limit is full).
/// A hard budget blocks a request that would take spend + reserved past <c>block × limit</c> (background
/// work — a negative priority — past <c>throttle × limit</c>) unless the request's priority reaches the
/// bypass priority and it stays within the emergency ceiling, or the period's grace is open: those are
/// admitted with <c>warn</c>.</item>
/// <item>From the throttle threshold on it throttles (or, with <c>downgradeTo</c>, downgrades), with the
/// policy's throttle factor or one falling linearly from 1 at the throttle threshold to 0 at block.</item>
/// <item>From the warn threshold on it warns. A soft budget never does more than warn (caps aside).</item>
/// </list>
/// </summary>
public static class AdmissionRule
{
    /// <param name="used">Spend plus the holds that count against the request.</param>
    /// <param name="graceOpen">Whether the period's grace may admit past the block threshold now (see <see cref="BudgetFacts"/>).</param>
    public static Admission Decide(BudgetDefinition definition, Tally used, Amount requested, int priority, bool graceOpen = false)
    {
        if (OverCap(definition.PerRequest, requested) is { } cap)
        {
            return new Admission(Decision.Block, null, null, AdmissionCause.PerRequestCap, cap.Metric, cap.Limit);
        }

        var projected = used + requested;
        var thresholds = definition.Thresholds;
        var policy = definition.Policy;
        var utilization = Utilization(projected, definition.Limits);
        var (metric, limit) = Leading(projected, definition.Limits);
        var ceiling = priority < 0 ? thresholds.Throttle : thresholds.Block;

        Admission admission;
        if (Exceeds(projected, definition.Limits, ceiling))
        {
            admission = policy is { BypassPriority: { } bypass, EmergencyCeiling: { } emergency } && priority >= bypass
                && !Exceeds(projected, definition.Limits, emergency)
                ? new Admission(Decision.Warn, null, null, AdmissionCause.Bypass, metric, limit)
                : graceOpen && policy.GracePeriodMinutes > 0 && priority >= 0
                    ? new Admission(Decision.Warn, null, null, AdmissionCause.Grace, metric, limit)
                    : new Admission(Decision.Block, null, null, AdmissionCause.Limit, metric, limit);
        }
        else if (utilization >= thresholds.Throttle)
        {
            admission = definition.DowngradeTo is null
                ? new Admission(Decision.Throttle, policy.ThrottleFactor ?? ThrottleFactor(utilization, thresholds), null, AdmissionCause.Limit, metric, limit)
                : new Admission(Decision.Downgrade, null, definition.DowngradeTo, AdmissionCause.Limit, metric, limit);
        }
        else
        {
            admission = utilization >= thresholds.Warn
                ? new Admission(Decision.Warn, null, null, AdmissionCause.Limit, metric, limit)
                : new Admission(Decision.Allow, null, null, AdmissionCause.None, metric, limit);
        }

        return definition.Mode == EnforcementMode.Soft && admission.Decision > Decision.Warn
            ? admission with { Decision = Decision.Warn, ThrottleFactor = null, DowngradeTo = null }
            : admission;
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

    /// <summary>The cap a request passes, if any (cost first, then tokens, then operations).</summary>
    private static (string Metric, decimal Limit)? OverCap(Limits? caps, Amount requested) =>
        caps switch
        {
            { Cost: { } c } when requested.Cost > c => ("perRequest.cost", c),
            { Tokens: { } t } when requested.Tokens > t => ("perRequest.tokens", t),
            { Operations: { } o } when requested.Operations > o => ("perRequest.operations", o),
            _ => null,
        };

    /// <summary>The limited metric with the highest share in use (cost when none is limited): the one a refusal, an alert or a forecast is about.</summary>
    public static (string Metric, decimal? Limit) Leading(Tally used, Limits limits)
    {
        (string, decimal?) leading = ("cost", limits.Cost);
        var share = -1m;
        if (limits.Cost is { } c && Share(used.Cost, c) > share) (leading, share) = (("cost", c), Share(used.Cost, c));
        if (limits.Tokens is { } t && Share(used.Tokens, t) > share) (leading, share) = (("tokens", t), Share(used.Tokens, t));
        if (limits.Operations is { } o && Share(used.Operations, o) > share) leading = ("operations", o);
        return leading;
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
