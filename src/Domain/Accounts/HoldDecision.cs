using System.Collections.Immutable;

namespace BudgetActors.Domain;

public enum HoldDecision
{
    Granted,
    Refused,

    /// <summary>Refused only because of tentative holds: wait for them to settle, then ask again.</summary>
    WaitForTentative,
}
