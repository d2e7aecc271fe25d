namespace BudgetActors.Domain;

/// <summary>What an account answers a hold.</summary>
public enum HoldDecision
{
    Granted,
    Refused,

    /// <summary>Refused only because of tentative holds: wait for them to settle, then ask again.</summary>
    WaitForTentative,
}
