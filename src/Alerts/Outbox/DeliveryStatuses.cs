namespace BudgetActors.Alerts;

/// <summary>The wire (and database) names of <see cref="DeliveryStatus"/>.</summary>
public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static string ToWire(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => Pending,
        DeliveryStatus.Delivered => Delivered,
        DeliveryStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown delivery status."),
    };

    public static DeliveryStatus Parse(string name) => name switch
    {
        Pending => DeliveryStatus.Pending,
        Delivered => DeliveryStatus.Delivered,
        Failed => DeliveryStatus.Failed,
        _ => throw new FormatException($"Unknown delivery status '{name}'."),
    };
}
