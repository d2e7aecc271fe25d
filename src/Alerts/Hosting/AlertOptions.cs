namespace BudgetActors.Alerts;

/// <summary>Alert delivery settings, bound from the <c>Alerts</c> configuration section (env <c>Alerts__*</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Plain http channel URLs (development, tests). Never in production: deliveries would travel unencrypted.</summary>
    public bool AllowInsecureUrls { get; set; }

    /// <summary>Channel hosts on loopback, link-local or private addresses (local receivers). Never in production: server-side request forgery.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// How often a budget whose alert policy forecasts (<c>alerts.forecast</c>) asks the forecaster
    /// whether it will pass its limit before its period ends, while it is active and until it has
    /// said so for the period. The first question comes within a minute of activation (spread at
    /// random, so that a restart does not ask for every budget at once).
    /// </summary>
    public TimeSpan ForecastInterval { get; set; } = TimeSpan.FromHours(1);

    public SmtpOptions Smtp { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public NetworkPolicy NetworkPolicy => new(AllowInsecureUrls, AllowPrivateNetworks);
}
