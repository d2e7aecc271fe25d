namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.BudgetState")]
public enum BudgetState
{
    Ok,
    Warning,
    Throttled,
    Blocked,
}
