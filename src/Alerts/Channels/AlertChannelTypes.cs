using System.Diagnostics.CodeAnalysis;

namespace BudgetActors.Alerts;

/// <summary>The wire names of <see cref="AlertChannelType"/>.</summary>
public static class AlertChannelTypes
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Email = "email";
    public const string InApp = "in-app";

    public static IReadOnlyList<string> Names { get; } = [Webhook, Slack, Email, InApp];

    /// <summary>Exactly the API's names, case-sensitive like every other enum value of the API.</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out AlertChannelType type)
    {
        type = name switch
        {
            Webhook => AlertChannelType.Webhook,
            Slack => AlertChannelType.Slack,
            Email => AlertChannelType.Email,
            InApp => AlertChannelType.InApp,
            _ => default,
        };
        return type != default;
    }

    public static string ToWire(this AlertChannelType type) => type switch
    {
        AlertChannelType.Webhook => Webhook,
        AlertChannelType.Slack => Slack,
        AlertChannelType.Email => Email,
        AlertChannelType.InApp => InApp,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown channel type."),
    };
}
