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

    public static void ConfigureSilo(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClusterMembershipOptions>(o => (o.ProbeTimeout, o.TableRefreshTimeout) = (ProbeTimeout, TableRefreshTimeout));
        services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
        services.Configure<SiloMessagingOptions>(configuration.GetSection(MessagingSection));
    }

    public static void ConfigureClient(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClientMessagingOptions>(configuration.GetSection(MessagingSection));
        services.Configure<GatewayOptions>(configuration.GetSection(GatewaySection));
    }
}
