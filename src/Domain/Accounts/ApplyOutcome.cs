namespace BudgetActors.Domain;

/// <summary>What became of a ledger entry applied to an account.</summary>
public enum ApplyOutcome
{
    Applied,

    /// <summary>Its sequence is already reflected: nothing changed.</summary>
    AlreadyApplied,

    /// <summary>
    /// A hold entry whose tentative hold was taken by an earlier activation of the budget and written
    /// after this one's fence: its room may have been given to others, so it is not honoured here.
    /// </summary>
    HoldNotHonoured,
}
