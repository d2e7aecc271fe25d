namespace BudgetActors.TestSupport.Failover;

/// <summary>What one HTTP request of the failover load asks.</summary>
public enum FailoverRequestKind
{
    /// <summary><c>POST …/usage</c> with a new idempotency key.</summary>
    Usage,

    /// <summary><c>POST …/reservations</c> with a new idempotency key.</summary>
    Reserve,

    /// <summary><c>POST …/reservations/{id}/commit</c> of the reservation just granted.</summary>
    Commit,

    /// <summary><c>POST …/check</c>: holds nothing.</summary>
    Check,
}
