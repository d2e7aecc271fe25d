using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>The kinds of audit events (API.md, "Audit trail").</summary>
public static class AuditEventTypes
{
    public const string TenantUpdated = "tenant.updated";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string BudgetCreated = "budget.created";
    public const string BudgetUpdated = "budget.updated";
    public const string BudgetDeleted = "budget.deleted";
    public const string TierUpdated = "tier.updated";
    public const string BudgetInstantiated = "budget.instantiated";
    public const string ThresholdCrossed = "threshold.crossed";
    public const string StateChanged = "state.changed";
    public const string AlertRaised = "alert.raised";
    public const string AlertDelivered = "alert.delivered";
    public const string AlertFailed = "alert.failed";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string AlertEscalated = "alert.escalated";
    public const string OverrideRequested = "override.requested";
    public const string OverrideApproved = "override.approved";
    public const string OverrideRejected = "override.rejected";
    public const string OverrideExpired = "override.expired";
    public const string EmergencyUsed = "emergency.used";
    public const string PeriodClosed = "period.closed";
    public const string UsageLate = "usage.late";
    public const string BudgetReset = "budget.reset";

    public static ImmutableSortedSet<string> All { get; } = ImmutableSortedSet.Create(StringComparer.Ordinal,
        TenantUpdated, KeyCreated, KeyRevoked, BudgetCreated, BudgetUpdated, BudgetDeleted, TierUpdated, BudgetInstantiated,
        ThresholdCrossed, StateChanged, AlertRaised, AlertDelivered, AlertFailed, AlertAcknowledged, AlertEscalated,
        OverrideRequested, OverrideApproved, OverrideRejected, OverrideExpired, EmergencyUsed, PeriodClosed, UsageLate, BudgetReset);
}
