using System.Net;

namespace BudgetActors.Alerts;

/// <summary>Name resolution for channel hosts; a seam so that tests can make a name resolve to what they need.</summary>
public interface IHostResolver
{
    /// <summary>Every address of <paramref name="host"/> (a DNS name, never an IP literal).</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
