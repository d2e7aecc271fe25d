namespace BudgetActors.Alerts;

/// <summary>
/// Why a notice goes to a channel. The purpose is part of the message id: an alert and its
/// escalation to the same channel are two deliveries (two webhook-ids), while a retried enqueue of
/// either is the same one.
/// </summary>
public static class DeliveryPurposes
{
    /// <summary>The alert's own channels, when it is raised.</summary>
    public const string Alert = "alert";

    /// <summary>The escalation channels, when the alert was not acknowledged in time.</summary>
    public const string Escalation = "escalation";

    /// <summary><c>POST …/channels/{id}/test</c> (give each test its own alert id, so each is sent).</summary>
    public const string Test = "test";
}
