namespace BudgetActors.Alerts;

/// <summary>A delivery's state (API.md's <c>deliveries[].status</c>, less <c>suppressed</c>, which the host decides before enqueuing).</summary>
[GenerateSerializer, Alias("BudgetActors.Alerts.DeliveryStatus")]
public enum DeliveryStatus
{
    /// <summary>Not delivered yet: waiting for its first try or for a retry.</summary>
    Pending = 1,

    /// <summary>An attempt got a 2xx (or the mail server took it, or it is in-app).</summary>
    Delivered = 2,

    /// <summary>Given up: every try failed, or the channel no longer exists.</summary>
    Failed = 3,
}
