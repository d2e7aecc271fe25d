namespace BudgetActors.Alerts;

/// <summary>
/// How far channel URLs may reach (<c>Alerts:AllowInsecureUrls</c>, <c>Alerts:AllowPrivateNetworks</c>).
/// Production keeps both false; local receivers (development, tests) need both.
/// </summary>
/// <param name="AllowInsecureUrls">Plain <c>http</c> URLs as well as <c>https</c>.</param>
/// <param name="AllowPrivateNetworks">Hosts that are or resolve to loopback, link-local, private or other non-public addresses.</param>
public sealed record NetworkPolicy(bool AllowInsecureUrls, bool AllowPrivateNetworks)
{
    public static NetworkPolicy Strict { get; } = new(false, false);
}
