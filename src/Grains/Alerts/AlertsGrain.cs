using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using BudgetActors.Alerts;
using BudgetActors.Grains.Audit;
using BudgetActors.Grains.Directory;
using Microsoft.Extensions.Logging;

namespace BudgetActors.Grains.Alerts;

/// <summary>
/// A tenant's alerting: channels, the alert feed and escalation. A budget's trigger becomes an alert
/// when the budget's alert policy asks for it; each of the policy's channels gets a delivery through
/// the outbox unless cooldown or maxPerHour holds it back (it is then in the feed as
/// <c>suppressed</c>). Alert ids and message ids follow from the trigger's key, so a trigger handled
/// twice — or an enqueue repeated after a crash — sends nothing twice. Everything is written before
/// it answers; escalation runs on a reminder, so it survives a restart of every process.
/// </summary>
public sealed class AlertsGrain(
    [PersistentState("alerts", StorageNames.Grains)] IPersistentState<AlertsState> storage,
    IAlertOutbox outbox,
    AlertChannelValidator validator,
    TenantDirectoryCache directory,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<AlertsGrain> logger) : Grain, IAlertsGrain, IRemindable
{
    /// <summary>Alerts kept in the feed; older ones remain in the audit trail.</summary>
    public const int FeedSize = 1000;

    internal const string EscalationReminder = "alert-escalation";

    private static readonly TimeSpan HandledKept = TimeSpan.FromDays(40);
    private static readonly TimeSpan SendsKept = TimeSpan.FromDays(7);

    private AlertsState State => storage.State;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<ChannelSaved> PutChannel(string channelId, string? type, string? url, ImmutableArray<string?> to)
    {
        var errors = await validator.ValidateAsync(channelId, type, url, to.IsDefault ? null : to);
        if (!errors.IsEmpty)
        {
            throw new BudgetActorsException(ProblemKind.InvalidRequest, "One or more fields are invalid: " + errors, errors.ToImmutable());
        }

        AlertChannelTypes.TryParse(type, out var parsed);
        var existing = State.Channels.GetValueOrDefault(channelId);
        string? shown = null;
        var channel = parsed switch
        {
            // A webhook keeps its secret when it is saved again; a new one (or one that was another type) gets one, shown once.
            AlertChannelType.Webhook when existing is { Type: AlertChannelType.Webhook, Secret: { } kept } => AlertChannel.Webhook(channelId, url!, kept),
            AlertChannelType.Webhook => AlertChannel.Webhook(channelId, url!, shown = ChannelSecrets.Generate()),
            AlertChannelType.Slack => AlertChannel.Slack(channelId, url!),
            AlertChannelType.Email => AlertChannel.Email(channelId, to.Select(a => a!.Trim())),
            _ => AlertChannel.InApp(channelId),
        };

        State.Channels[channelId] = channel;
        await storage.WriteStateAsync();
        await audit.RecordEvent(logger, TenantId, AuditEventTypes.TenantUpdated, clock.GetUtcNow(), null,
            new { change = existing is null ? "channel-created" : "channel-updated", channelId, type = channel.Type.ToWire(), url = channel.Url, to = channel.Recipients });
        return new ChannelSaved(channel, existing is null, shown);
    }

    public Task<AlertChannel?> GetChannel(string channelId) => Task.FromResult(State.Channels.GetValueOrDefault(channelId));

    public Task<ImmutableArray<AlertChannel>> ListChannels() =>
        Task.FromResult(State.Channels.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToImmutableArray());

    public async Task<bool> DeleteChannel(string channelId)
    {
        if (!State.Channels.Remove(channelId))
        {
            return false;
        }

        await storage.WriteStateAsync();
        await audit.RecordEvent(logger, TenantId, AuditEventTypes.TenantUpdated, clock.GetUtcNow(), null, new { change = "channel-deleted", channelId });
        return true;
    }

    public Task<ImmutableArray<string>> MissingChannels(ImmutableArray<string> channelIds) =>
        Task.FromResult(channelIds.Where(id => !State.Channels.ContainsKey(id)).ToImmutableArray());

    public async Task Raise(AlertTrigger trigger)
    {
        if (State.Handled.ContainsKey(trigger.Key))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var fact = trigger.Type switch
        {
            AlertEventType.ThresholdCrossed => AuditEventTypes.ThresholdCrossed,
            AlertEventType.StateChanged => AuditEventTypes.StateChanged,
            _ => null,
        };
        if (fact is not null)
        {
            _ = audit.RecordEvent(logger, TenantId, fact, trigger.At, trigger.BudgetId, new
            {
                threshold = trigger.Threshold,
                state = trigger.State,
                utilization = trigger.Utilization,
                metric = trigger.Metric,
                spent = trigger.Spent,
                limit = trigger.Limit,
            });
        }

        var view = await directory.GetAsync(TenantId);
        var policy = view?.FindBudget(trigger.BudgetId)?.Alerts;
        // Overrides and emergency use are always in the feed; thresholds, forecasts and moves to
        // throttled or blocked only for budgets with an alert policy (a move to warning is a fact, not an alert).
        var alerted = trigger.Type is AlertEventType.Override or AlertEventType.Emergency
            || (policy is not null && !(trigger.Type == AlertEventType.StateChanged && trigger.State < BudgetState.Throttled));
        if (!alerted)
        {
            State.Handled[trigger.Key] = now;
            await storage.WriteStateAsync(); // a fact, but no alert: the budget has no alert policy
            return;
        }

        var alertId = AlertId(trigger.Key);
        var notice = new AlertNotice(trigger.Type, TenantId, trigger.BudgetId, alertId, trigger.Threshold, trigger.Utilization,
            trigger.State.ToString().ToLowerInvariant(), trigger.Spent, trigger.Limit, trigger.PeriodEnd, trigger.Message, trigger.At,
            view?.Tenant.Currency, trigger.Metric);

        var deliveries = ImmutableArray.CreateBuilder<AlertDeliveryView>();
        var requests = new List<DeliveryRequest>();
        foreach (var channel in policy?.Channels ?? [])
        {
            if (Suppressed(trigger.BudgetId, channel, policy!, now))
            {
                deliveries.Add(new AlertDeliveryView(channel, DeliveryPurposes.Alert, "suppressed", 0, null));
                continue;
            }

            Sent(trigger.BudgetId, channel, now);
            deliveries.Add(new AlertDeliveryView(channel, DeliveryPurposes.Alert, "pending", 0, null));
            requests.Add(DeliveryRequest.For(notice, channel));
        }

        // Into the outbox first (durable once it answers): if the grain then fails before its state is
        // written, the trigger comes again, makes the same message ids, and the outbox keeps one each.
        if (requests.Count > 0)
        {
            await outbox.EnqueueAsync(requests);
        }

        var alert = new AlertView(alertId, ++State.LastSequence, trigger.Type.ToWire(), trigger.BudgetId, trigger.Threshold, trigger.Utilization,
            trigger.Message, now, deliveries.ToImmutable(),
            EscalateAt: policy?.Escalation is { } escalation ? now.AddMinutes(escalation.AfterMinutes) : null);
        State.Alerts.Add(alert);
        State.Handled[trigger.Key] = now;
        Prune(now);
        await storage.WriteStateAsync();

        await audit.RecordEvent(logger, TenantId, AuditEventTypes.AlertRaised, now, trigger.BudgetId, new
        {
            alertId,
            type = alert.Type,
            threshold = trigger.Threshold,
            utilization = trigger.Utilization,
            message = trigger.Message,
            channels = deliveries.Select(d => new { channel = d.Channel, status = d.Status }),
        });

        if (alert.EscalateAt is not null)
        {
            await EnsureEscalationReminder();
        }
    }

    public async Task ReportDelivery(DeliveryOutcome outcome)
    {
        var request = outcome.Request;
        var index = State.Alerts.FindIndex(a => a.Id == request.AlertId);
        if (index < 0)
        {
            return; // a test message, or an alert the feed no longer keeps
        }

        var alert = State.Alerts[index];
        var purpose = request.MessageId == DeliveryRequest.For(request.Notice, request.ChannelId, DeliveryPurposes.Escalation).MessageId
            ? DeliveryPurposes.Escalation
            : DeliveryPurposes.Alert;
        var at = alert.Deliveries.IndexOf(alert.Deliveries.FirstOrDefault(d => d.Channel == request.ChannelId && d.Purpose == purpose)!);
        var status = outcome.Status switch
        {
            DeliveryStatus.Delivered => "delivered",
            DeliveryStatus.Failed => "failed",
            _ => "pending",
        };
        var updated = new AlertDeliveryView(request.ChannelId, purpose, status, outcome.Attempts, outcome.Error);
        if (at >= 0)
        {
            var current = alert.Deliveries[at];
            if (current.Attempts > outcome.Attempts || current.Status is "delivered" or "failed" && status == "pending")
            {
                return; // an older report, arriving late from another silo
            }

            if (current == updated)
            {
                return; // a report repeated
            }

            alert = alert with { Deliveries = alert.Deliveries.SetItem(at, updated) };
        }
        else
        {
            alert = alert with { Deliveries = alert.Deliveries.Add(updated) };
        }

        State.Alerts[index] = alert;
        await storage.WriteStateAsync();
        if (status != "pending")
        {
            await audit.RecordEvent(logger, TenantId, status == "delivered" ? AuditEventTypes.AlertDelivered : AuditEventTypes.AlertFailed,
                outcome.At, alert.BudgetId, new { alertId = alert.Id, channel = request.ChannelId, purpose, attempts = outcome.Attempts, error = outcome.Error });
        }
    }

    public async Task<AlertView> Acknowledge(string alertId)
    {
        var index = State.Alerts.FindIndex(a => a.Id == alertId);
        if (index < 0)
        {
            throw BudgetActorsException.NotFound($"Alert '{alertId}'");
        }

        var alert = State.Alerts[index];
        if (alert.AcknowledgedAt is not null)
        {
            return alert;
        }

        var now = clock.GetUtcNow();
        alert = State.Alerts[index] = alert with { AcknowledgedAt = now, AcknowledgedBy = AuditActor.Current };
        await storage.WriteStateAsync();
        await audit.RecordEvent(logger, TenantId, AuditEventTypes.AlertAcknowledged, now, alert.BudgetId, new { alertId });
        return alert;
    }

    public Task<AlertFeedPage> Feed(AlertFeedQuery query)
    {
        var items = ImmutableArray.CreateBuilder<AlertView>();
        for (var i = State.Alerts.Count - 1; i >= 0 && items.Count < query.Limit; i--)
        {
            var alert = State.Alerts[i];
            if ((query.Before == 0 || alert.Sequence < query.Before)
                && (query.BudgetId is null || alert.BudgetId == query.BudgetId)
                && (query.Acknowledged is not { } acknowledged || (alert.AcknowledgedAt is not null) == acknowledged))
            {
                items.Add(alert);
            }
        }

        var more = items.Count == query.Limit && State.Alerts.Any(a => a.Sequence < items[^1].Sequence);
        return Task.FromResult(new AlertFeedPage(items.ToImmutable(), more ? items[^1].Sequence : null));
    }

    public async Task RunDue()
    {
        var now = clock.GetUtcNow();
        var view = await directory.GetAsync(TenantId);
        for (var i = 0; i < State.Alerts.Count; i++)
        {
            var alert = State.Alerts[i];
            if (alert is not { EscalateAt: { } due, AcknowledgedAt: null, EscalatedAt: null } || due > now)
            {
                continue;
            }

            // The escalation channels as the budget names them now (a budget since deleted escalates nowhere).
            var channels = view?.FindBudget(alert.BudgetId)?.Alerts?.Escalation?.Channels ?? [];
            var notice = new AlertNotice(AlertEventTypes.TryParse(alert.Type, out var type) ? type : AlertEventType.ThresholdCrossed,
                TenantId, alert.BudgetId, alert.Id, alert.Threshold, alert.Utilization, "escalated", 0m, null, null,
                $"Not acknowledged after {(int)(due - alert.CreatedAt).TotalMinutes} minutes: {alert.Message}", alert.CreatedAt, view?.Tenant.Currency);
            var requests = channels.Select(c => DeliveryRequest.For(notice, c, DeliveryPurposes.Escalation)).ToList();
            if (requests.Count > 0)
            {
                await outbox.EnqueueAsync(requests);
            }

            State.Alerts[i] = alert with
            {
                EscalatedAt = now,
                Deliveries = alert.Deliveries.AddRange(channels.Select(c => new AlertDeliveryView(c, DeliveryPurposes.Escalation, "pending", 0, null))),
            };
            await storage.WriteStateAsync();
            await audit.RecordEvent(logger, TenantId, AuditEventTypes.AlertEscalated, now, alert.BudgetId, new { alertId = alert.Id, channels });
        }

        if (!State.Alerts.Any(a => a is { EscalateAt: not null, AcknowledgedAt: null, EscalatedAt: null })
            && await this.GetReminder(EscalationReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == EscalationReminder ? RunDue() : Task.CompletedTask;

    /// <summary>A reminder every minute while some alert may yet escalate: reminders are stored, so this survives restarts.</summary>
    private async Task EnsureEscalationReminder()
    {
        try
        {
            if (await this.GetReminder(EscalationReminder) is null)
            {
                // First due just after the earliest escalation (a second late rather than a tick early), then every minute.
                var earliest = State.Alerts.Where(a => a is { EscalateAt: not null, AcknowledgedAt: null, EscalatedAt: null }).Min(a => a.EscalateAt);
                var due = (earliest ?? clock.GetUtcNow()) - clock.GetUtcNow() + TimeSpan.FromSeconds(1);
                await this.RegisterOrUpdateReminder(EscalationReminder, due < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : due, TimeSpan.FromMinutes(1));
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Tenant {Tenant}: the escalation reminder could not be registered; the next alert tries again", TenantId);
        }
    }

    /// <summary>Held back: within the cooldown of the last send to this channel for this budget, or past maxPerHour in the last hour.</summary>
    private bool Suppressed(string budgetId, string channel, AlertPolicy policy, DateTimeOffset now)
    {
        if (!State.Sends.TryGetValue(SendKey(budgetId, channel), out var sends) || sends.Count == 0)
        {
            return false;
        }

        return (policy.CooldownMinutes > 0 && now - sends[^1] < TimeSpan.FromMinutes(policy.CooldownMinutes))
            || sends.Count(s => now - s < TimeSpan.FromHours(1)) >= policy.MaxPerHour;
    }

    private void Sent(string budgetId, string channel, DateTimeOffset now)
    {
        var key = SendKey(budgetId, channel);
        if (!State.Sends.TryGetValue(key, out var sends))
        {
            State.Sends[key] = sends = [];
        }

        sends.Add(now);
    }

    private void Prune(DateTimeOffset now)
    {
        if (State.Alerts.Count > FeedSize)
        {
            State.Alerts.RemoveRange(0, State.Alerts.Count - FeedSize);
        }

        foreach (var (key, at) in State.Handled.Where(h => now - h.Value > HandledKept).ToList())
        {
            State.Handled.Remove(key);
        }

        foreach (var (key, sends) in State.Sends.ToList())
        {
            sends.RemoveAll(s => now - s > SendsKept);
            if (sends.Count == 0)
            {
                State.Sends.Remove(key);
            }
        }
    }

    private static string SendKey(string budgetId, string channel) => budgetId + "|" + channel;

    /// <summary>The alert's id, from its trigger's key: the same trigger makes the same alert and the same message ids.</summary>
    private static string AlertId(string key) => "alt-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20];
}
