namespace BudgetActors.Alerts;

/// <summary>Where a channel sends (API.md wire names: <c>webhook</c>, <c>slack</c>, <c>email</c>, <c>in-app</c>).</summary>
[GenerateSerializer, Alias("BudgetActors.Alerts.AlertChannelType")]
public enum AlertChannelType
{
    /// <summary>A signed POST to the tenant's URL (Standard Webhooks).</summary>
    Webhook = 1,

    /// <summary>A Slack incoming-webhook message.</summary>
    Slack = 2,

    /// <summary>Mail over the host's SMTP server.</summary>
    Email = 3,

    /// <summary>The alert feed only: nothing leaves the service.</summary>
    InApp = 4,
}
