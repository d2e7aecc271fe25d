namespace BudgetActors;

public enum OverrideState
{
    Pending,
    Approved,
    Rejected,

    /// <summary>Was approved; its time is up and the limits are back.</summary>
    Expired,
}
