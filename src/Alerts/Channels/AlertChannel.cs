using System.Collections.Immutable;

namespace BudgetActors.Alerts;

/// <summary>
/// A tenant's alert channel as it was saved (after <see cref="ChannelRules"/>): a webhook or Slack
/// URL, email recipients, or the in-app feed alone.
/// </summary>
/// <param name="Url">Webhook and Slack channels: the URL to POST to. Null for the others.</param>
/// <param name="To">Email channels: 1–20 addresses. Empty for the others.</param>
/// <param name="Secret">Webhook channels: the signing secret, <c>whsec_</c> + base64 (<see cref="ChannelSecrets"/>). Null for the others.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Alerts.AlertChannel")]
public sealed record AlertChannel(
    [property: Id(0)] string Id,
    [property: Id(1)] AlertChannelType Type,
    [property: Id(2)] string? Url,
    [property: Id(3)] ImmutableArray<string> To,
    [property: Id(4)] string? Secret)
{
    /// <summary>The recipients, never a default array (a channel made with <c>default</c> has none).</summary>
    public ImmutableArray<string> Recipients => To.IsDefault ? [] : To;

    public static AlertChannel Webhook(string id, string url, string secret) => new(id, AlertChannelType.Webhook, url, [], secret);

    public static AlertChannel Slack(string id, string url) => new(id, AlertChannelType.Slack, url, [], null);

    public static AlertChannel Email(string id, IEnumerable<string> to) => new(id, AlertChannelType.Email, null, [.. to], null);

    public static AlertChannel InApp(string id) => new(id, AlertChannelType.InApp, null, [], null);

    /// <summary>Without the secret: channels end up in logs and exception messages.</summary>
    public override string ToString() =>
        $"AlertChannel {{ Id = {Id}, Type = {Type.ToWire()}, Url = {Url}, To = [{string.Join(", ", Recipients)}], Secret = {(Secret is null ? "none" : "***")} }}";
}
