namespace BudgetActors.Domain;

/// <summary>A subject's budgets after a move: definitions to store (new or changed), which of them are new, ids to retire.</summary>
/// <param name="Conflicts">Ids the move needs that a budget not of this subject's tier already has: the move must be refused.</param>
public sealed record TierMove(
    IReadOnlyList<BudgetDefinition> Put,
    IReadOnlyList<BudgetDefinition> Created,
    IReadOnlyList<string> Retired,
    IReadOnlyList<string> Conflicts)
{
    public bool IsEmpty => Put.Count == 0 && Retired.Count == 0;
}
