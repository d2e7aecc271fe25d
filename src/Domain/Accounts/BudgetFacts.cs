namespace BudgetActors.Domain;

/// <summary>
/// What a check needs to know of a budget at one moment — its definition, period, firm spend and
/// holds — taken from its account after every change. A check is answered from these facts exactly
/// as the account would answer it, as long as they are current: the period has not ended and no
/// hold has expired since (otherwise the account must move on first).
/// </summary>
public sealed record BudgetFacts(BudgetDefinition Definition, Period Period, Tally Spent, Tally Reserved, DateTimeOffset? NextExpiry)
{
    /// <summary>True while nothing that time alone changes (a rollover, an expiry) is due.</summary>
    public bool CurrentAt(DateTimeOffset now) =>
        (Period.End is not { } end || now < end) && (NextExpiry is not { } expiry || now < expiry);

    /// <summary>What the budget says of a request on firm spend and holds (a check holds nothing).</summary>
    public BudgetVerdict Evaluate(Amount amount, int priority) => Evaluate(amount, priority, Spent + Reserved);

    /// <param name="used">Spend plus the holds that count against the request.</param>
    public BudgetVerdict Evaluate(Amount amount, int priority, Tally used)
    {
        var (decision, throttleFactor, downgradeTo) = AdmissionRule.Decide(Definition, used, amount, priority);
        return new BudgetVerdict(decision, throttleFactor, downgradeTo, Status());
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
