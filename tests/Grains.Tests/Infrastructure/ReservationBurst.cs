using System.Collections.Immutable;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>Many reservations at once through the admission grain, as a fleet of job workers would send them.</summary>
public static class ReservationBurst
{
    public sealed record Attempt(ImmutableSortedDictionary<string, string> Attributes, Amount Estimate, ReserveResult Result);

    /// <summary>Sends every request concurrently from thread-pool tasks and returns each answer with its request.</summary>
    public static async Task<IReadOnlyList<Attempt>> RunAsync(TestTenant tenant, IEnumerable<(ImmutableSortedDictionary<string, string> Attributes, Amount Estimate)> requests)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(r => Task.Run(async () =>
        {
            await start.Task; // released together, so they really overlap
            return new Attempt(r.Attributes, r.Estimate, await tenant.Reserve(r.Estimate, r.Attributes, ttl: TimeSpan.FromMinutes(10)));
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    /// <summary>Interleaves the requests of several callers (a, b, c, a, b, c, …) so none goes first as a block.</summary>
    public static IEnumerable<T> RoundRobin<T>(params IReadOnlyList<T>[] lists)
    {
        for (var i = 0; lists.Any(l => i < l.Count); i++)
        {
            foreach (var list in lists)
            {
                if (i < list.Count)
                {
                    yield return list[i];
                }
            }
        }
    }
}
