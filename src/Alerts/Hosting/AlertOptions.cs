namespace BudgetActors.Alerts;

/// <summary>Alert delivery settings, bound from the <c>Alerts</c> configuration section (env <c>Alerts__*</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Plain http channel URLs (development, tests). Never in production: deliveries would travel unencrypted.</summary>
    public bool AllowInsecureUrls { get; set; }

    /// <summary>Channel hosts on loopback, link-local or private addresses (local receivers). Never in production: server-side request forgery.</summary>
    public bool AllowPrivateNetworks { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public NetworkPolicy NetworkPolicy => new(AllowInsecureUrls, AllowPrivateNetworks);
}
