namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.LedgerEntryKind")]
public enum LedgerEntryKind : short
{
    /// <summary>A granted reservation's hold on its budgets.</summary>
    Hold = 1,

    /// <summary>A hold freed before it was committed.</summary>
    Release = 2,

    /// <summary>A reservation's actual spend: charged, and its hold freed.</summary>
    Commit = 3,

    /// <summary>Spend recorded without a reservation.</summary>
    Usage = 4,
}
