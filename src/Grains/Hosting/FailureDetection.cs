using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace BudgetActors.Grains.Hosting;

/// <summary>
/// How fast a cluster notices that a silo died, and how long a caller waits for a call that was lost
/// with it (README, "When a silo crashes"). These are Orleans' own options with our defaults, each of
/// which an operator may change from configuration: <c>Orleans:Membership:*</c> binds
/// <see cref="ClusterMembershipOptions"/> (silos), <c>Orleans:Messaging:*</c> the silos' and the
/// clients' messaging options (<c>ResponseTimeout</c>), <c>Orleans:Gateway:*</c> the clients'
/// <see cref="GatewayOptions"/>.
/// </summary>
public static class FailureDetection
{
    public const string MembershipSection = "Orleans:Membership";
    public const string MessagingSection = "Orleans:Messaging";
    public const string GatewaySection = "Orleans:Gateway";

    /// <summary>
    /// A silo probes each other silo about once per probe timeout, adapted to the round trips it
    /// sees but never more often than every <c>ProbeTimeout / 2</c>, and votes it dead after
    /// <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> (3) missed probes in a row. A killed
    /// process on a reachable host refuses the probe at once, so a kill is declared about
    /// 3 × 1 s after it with 2 s (Orleans' default of 5 s takes about 8 s). What keeps a live but
    /// loaded silo from being declared dead is left as Orleans has it: three misses in a row, probe
    /// timeouts that grow with the round trips seen (up to 4 × this) and with the prober's own
    /// degradation (ExtendProbeTimeoutDuringDegradation), and no vote against a silo whose connection
    /// still brings messages (EnableConnectionLivenessCheck).
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a silo reads the membership table besides the gossip that tells it of every change
    /// at once: a silo that missed the gossip learns of a death within this (Orleans: 60 s).
    /// </summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often a client reads the gateways from the membership table (Orleans: 60 s). A client
    /// stops using a gateway whose connection it lost and takes it back only from this list, so a
    /// silo started again after a crash serves the client's calls again within about twice this;
    /// with 60 s, a second crash within that minute left the client without a gateway it would use.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a client waits for the answer to a grain call (Orleans: 30 s). A call lost with a
    /// silo killed on a reachable host is given up at once (the API host's GatewayLoss, the silos'
    /// death declaration); this bounds the calls lost without a sign — a host gone from the network
    /// resets nothing — and stays above the longest call that is legitimately slow: a reservation
    /// may wait up to 10 s for tentative holds of others to settle before its budget decides.
    /// </summary>
    public static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(15);

    public static void ConfigureSilo(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClusterMembershipOptions>(o => (o.ProbeTimeout, o.TableRefreshTimeout) = (ProbeTimeout, TableRefreshTimeout));
        services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
        services.Configure<SiloMessagingOptions>(configuration.GetSection(MessagingSection));
    }

    public static void ConfigureClient(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ClientResponseTimeout);
        services.Configure<ClientMessagingOptions>(configuration.GetSection(MessagingSection));
        services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        services.Configure<GatewayOptions>(configuration.GetSection(GatewaySection));
    }
}
