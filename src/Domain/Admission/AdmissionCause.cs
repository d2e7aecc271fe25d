namespace BudgetActors.Domain;

/// <summary>What decided a budget's answer (beyond the decision itself).</summary>
public enum AdmissionCause
{
    /// <summary>Nothing: under every threshold.</summary>
    None,

    /// <summary>The utilization the request would reach (warn, throttle, downgrade, block).</summary>
    Limit,

    /// <summary>The request asks for more than the budget lets one request ask for.</summary>
    PerRequestCap,

    /// <summary>Past the block threshold, admitted because the period's grace is open.</summary>
    Grace,

    /// <summary>Past the block threshold, admitted for its priority, within the emergency ceiling.</summary>
    Bypass,

    /// <summary>Refused by a rate limit (decided by the account, which keeps the rates).</summary>
    Rate,
}
