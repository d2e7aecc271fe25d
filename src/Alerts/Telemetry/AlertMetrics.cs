using System.Diagnostics.Metrics;

namespace BudgetActors.Alerts;

/// <summary>The instruments of alert delivery (meter <see cref="MeterName"/>); README, "Metrics".</summary>
public static class AlertMetrics
{
    public const string MeterName = "BudgetActors.Alerts";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("budget_actors.alert.deliveries", "{attempt}",
        "Delivery attempts of alerts, by outcome (delivered; retry: failed, tried again later; failed: given up) and channel type (webhook, slack, email, in-app, unknown: the channel was gone).");

    /// <summary>One attempt ended with <paramref name="status"/> (pending: it is tried again).</summary>
    public static void Attempted(DeliveryStatus status, AlertChannelType? channel) =>
        Deliveries.Add(1,
            new KeyValuePair<string, object?>("outcome", status switch
            {
                DeliveryStatus.Delivered => "delivered",
                DeliveryStatus.Pending => "retry",
                _ => "failed",
            }),
            new KeyValuePair<string, object?>("channel", channel is { } type ? type.ToWire() : "unknown"));
}
