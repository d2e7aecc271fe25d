namespace BudgetActors.Extensions.AI;

/// <summary>How a budgeted chat call ended, as the middleware saw it.</summary>
public enum CallEnd
{
    /// <summary>The model answered in full (a response, or a stream read to its end).</summary>
    Completed,

    /// <summary>The consumer stopped reading a stream before its end (break, dispose, an exception in its loop).</summary>
    Abandoned,

    /// <summary>The inner client threw, or the call was cancelled.</summary>
    Failed,
}

/// <summary>What the middleware did with a reservation.</summary>
public enum SettlementKind
{
    Committed,
    Released,

    /// <summary>The commit failed twice; <see cref="BudgetChatOptions.OnCommitFailed"/> was told.</summary>
    CommitFailed,

    /// <summary>The release failed; the hold frees itself when the reservation expires.</summary>
    ReleaseFailed,
}

/// <summary>The settlement of one reserved chat call.</summary>
/// <param name="Reservation">The reservation settled: after a downgrade, the one taken for the downgraded model (the first was released).</param>
/// <param name="RequestedModel">The model the caller asked for.</param>
/// <param name="CalledModel">The model the inner client was asked for, and the reservation estimated (differs after a downgrade).</param>
/// <param name="Actual">What was committed (or attempted); null for a release.</param>
/// <param name="UsageEstimated">True when some counts of <paramref name="Actual"/> were estimated because the provider did not report them.</param>
public sealed record BudgetSettlement(
    string Tenant,
    string ReservationId,
    BudgetReservation Reservation,
    string RequestedModel,
    string CalledModel,
    bool Streaming,
    CallEnd End,
    SettlementKind Kind,
    AmountSpec? Actual,
    bool UsageEstimated,
    BudgetCommit? Commit,
    BudgetRelease? Release,
    Exception? Error);

/// <summary>A commit that failed twice: the spend the budget service has not recorded.</summary>
public sealed record BudgetCommitFailure(string Tenant, string ReservationId, AmountSpec Actual, Exception Error);
