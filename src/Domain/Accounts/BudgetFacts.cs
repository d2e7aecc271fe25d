namespace BudgetActors.Domain;

/// <summary>
/// What a check needs to know of a budget at one moment — its definition (limits in force), period,
/// firm spend and holds, and whether its grace has begun — taken from its account after every
/// change. A check is answered from these facts exactly as the account would answer it, as long as
/// they are current: the period has not ended and no hold, raise or grace has expired since
/// (otherwise the account must move on first).
/// </summary>
/// <param name="GraceStartedAt">When the period's grace began (the grace policy), null if it has not.</param>
/// <param name="Currency">The tenant's currency, which reasons name with their money figures (null: figures only).</param>
public sealed record BudgetFacts(BudgetDefinition Definition, Period Period, Tally Spent, Tally Reserved, DateTimeOffset? NextExpiry,
    DateTimeOffset? GraceStartedAt = null, string? Currency = null)
{
    /// <summary>True while nothing that time alone changes (a rollover, an expiry) is due.</summary>
    public bool CurrentAt(DateTimeOffset now) =>
        (Period.End is not { } end || now < end) && (NextExpiry is not { } expiry || now < expiry);

    /// <summary>When the period's grace closes, if it has begun.</summary>
    public DateTimeOffset? GraceEnd => GraceStartedAt is { } start ? start.AddMinutes(Definition.Policy.GracePeriodMinutes) : null;

    /// <summary>
    /// The verdict the grain would give now, or null when only the grain can answer: a rate limit
    /// counts every request, and a request that the grace admits for the first time starts the grace.
    /// </summary>
    public BudgetVerdict? TryEvaluate(Amount amount, int priority, DateTimeOffset now)
    {
        if (Definition.RateLimits is not null)
        {
            return null;
        }

        var (verdict, cause) = Judge(amount, priority, Spent + Reserved, now);
        return cause == AdmissionCause.Grace && GraceStartedAt is null ? null : verdict;
    }

    /// <summary>What the budget says of a request on firm spend and holds (a check holds nothing).</summary>
    public BudgetVerdict Evaluate(Amount amount, int priority, DateTimeOffset? now = null) => Judge(amount, priority, Spent + Reserved, now).Verdict;

    /// <param name="used">Spend plus the holds that count against the request.</param>
    /// <param name="now">When it is asked: whether the grace is still open. Without it, open only if it has not begun.</param>
    public (BudgetVerdict Verdict, AdmissionCause Cause) Judge(Amount amount, int priority, Tally used, DateTimeOffset? now = null)
    {
        var graceOpen = GraceEnd is not { } end || (now is { } at && at < end);
        var admission = AdmissionRule.Decide(Definition, used, amount, priority, graceOpen);
        var reason = admission.Decision == Decision.Allow ? null : ReasonWording.Of(this, admission, used, amount, now);
        return (new BudgetVerdict(admission.Decision, admission.ThrottleFactor, admission.DowngradeTo, Status(), reason), admission.Cause);
    }

    public BudgetStatus Status()
    {
        var limits = Definition.Limits;
        return new BudgetStatus(Definition.Id, Period.Start, Period.End, AdmissionRule.StateOf(Definition, Spent + Reserved),
            AdmissionRule.Metric(limits.Cost, Spent.Cost, Reserved.Cost),
            AdmissionRule.Metric(limits.Tokens, Spent.Tokens, Reserved.Tokens),
            AdmissionRule.Metric(limits.Operations, Spent.Operations, Reserved.Operations));
    }
}
