namespace BudgetActors;

/// <summary>
/// The answer to "may I spend this?". Ordered from least to most restrictive, so the decision over
/// several budgets is simply the maximum.
/// </summary>
[GenerateSerializer, Alias("BudgetActors.Decision")]
public enum Decision
{
    Allow,
    Warn,
    Throttle,
    Downgrade,
    Block,
}
