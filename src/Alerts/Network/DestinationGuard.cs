using System.Net;
using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts;

/// <summary>
/// Resolves a channel's host and checks every address it resolves to, at save time and again at
/// each send: a name that was public when the channel was saved may point at 127.0.0.1 today (DNS
/// rebinding). The sender then connects to an address checked here, never resolving again, so
/// nothing can change between the check and the connection.
/// </summary>
public sealed class DestinationGuard(IHostResolver resolver, NetworkPolicy policy)
{
    public DestinationGuard(IHostResolver resolver, IOptions<AlertOptions> options)
        : this(resolver, options.Value.NetworkPolicy)
    {
    }

    public NetworkPolicy Policy => policy;

    /// <summary>
    /// The addresses of <paramref name="host"/> that a connection may use; every one of them passes
    /// the policy (one forbidden address refuses the host: which one a client picks is not ours to
    /// choose). Throws <see cref="BlockedDestinationException"/> otherwise.
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (Literal(host) is { } address)
        {
            return RefusalOf(host, policy) is { } refusal ? throw new BlockedDestinationException(refusal) : [address];
        }

        if (RefusalOf(host, policy) is { } localhost)
        {
            throw new BlockedDestinationException(localhost);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new BlockedDestinationException($"'{host}' could not be resolved: {error.Message}");
        }

        if (addresses.Length == 0)
        {
            throw new BlockedDestinationException($"'{host}' resolves to no address.");
        }

        foreach (var resolved in addresses)
        {
            if (!policy.AllowPrivateNetworks && AddressRules.Classify(resolved) is { } kind)
            {
                throw new BlockedDestinationException($"'{host}' resolves to {resolved}, {NotPublic(kind)}");
            }
        }

        return addresses;
    }

    /// <summary>
    /// What can be judged without resolving: for an IP literal or a localhost name, why the policy
    /// refuses it (null if it allows it); null for any other name (it needs resolving).
    /// </summary>
    public static string? RefusalOf(string host, NetworkPolicy policy)
    {
        if (policy.AllowPrivateNetworks)
        {
            return null;
        }

        if (Literal(host) is { } address)
        {
            return AddressRules.Classify(address) is { } kind ? $"{address} is {NotPublic(kind)}" : null;
        }

        return IsLocalhostName(host) ? $"'{host}' is a loopback name. {Advice}" : null;
    }

    /// <summary>localhost and *.localhost are loopback by definition (RFC 6761), whatever a resolver says.</summary>
    public static bool IsLocalhostName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    private const string Advice = "Private networks are not allowed (Alerts:AllowPrivateNetworks).";

    private static string NotPublic(string kind) => $"a non-public address: {kind}. {Advice}";

    private static IPAddress? Literal(string host)
    {
        var text = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(text, out var address) ? address : null;
    }
}
