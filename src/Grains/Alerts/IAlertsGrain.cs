using System.Collections.Immutable;
using BudgetActors.Alerts;

namespace BudgetActors.Grains.Alerts;

/// <summary>
/// A tenant's alerting (key: tenant id): its channels, its alert feed, cooldowns, and escalation by
/// reminder. Budgets send it triggers off their admission path; the delivery worker tells it how
/// deliveries went. Declared here rather than in Grains.Interfaces: job workers, which reference
/// only that, have no use for it, and its records come from src/Alerts.
/// </summary>
[Alias("BudgetActors.Grains.Alerts.IAlertsGrain")]
public interface IAlertsGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a channel after its rules (no server-side request forgery); a new webhook gets a secret.</summary>
    [Alias("PutChannel")]
    Task<ChannelSaved> PutChannel(string channelId, string? type, string? url, ImmutableArray<string?> to);

    [Alias("GetChannel")]
    Task<AlertChannel?> GetChannel(string channelId);

    [Alias("ListChannels")]
    Task<ImmutableArray<AlertChannel>> ListChannels();

    /// <summary>False when there was no such channel.</summary>
    [Alias("DeleteChannel")]
    Task<bool> DeleteChannel(string channelId);

    /// <summary>The ids among <paramref name="channelIds"/> that name no channel.</summary>
    [Alias("MissingChannels")]
    Task<ImmutableArray<string>> MissingChannels(ImmutableArray<string> channelIds);

    /// <summary>Turns a budget's trigger into an alert (once per key) if the budget's alert policy asks for it.</summary>
    [Alias("Raise")]
    Task Raise(AlertTrigger trigger);

    /// <summary>A delivery's outcome, from the delivery worker (at least once, maybe out of order).</summary>
    [Alias("ReportDelivery")]
    Task ReportDelivery(DeliveryOutcome outcome);

    /// <summary>Acknowledges an alert (stopping its escalation); acknowledging again changes nothing.</summary>
    [Alias("Acknowledge")]
    Task<AlertView> Acknowledge(string alertId);

    [Alias("Feed")]
    Task<AlertFeedPage> Feed(AlertFeedQuery query);

    /// <summary>Sends what is due now: escalations of alerts nobody acknowledged in time (the reminder calls this too).</summary>
    [Alias("RunDue")]
    Task RunDue();
}
