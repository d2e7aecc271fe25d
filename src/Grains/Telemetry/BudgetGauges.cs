using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using BudgetActors.Domain;
using BudgetActors.Grains.Admission;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace BudgetActors.Grains.Telemetry;

/// <summary>
/// Puts a silo's <see cref="BudgetBoard"/> — the latest facts of every budget active on it — under
/// the budget gauges of <see cref="BudgetMetrics"/> while the silo runs. The gauges are counted when
/// a scrape (or an OTLP export) asks: one pass over the board, which takes no lock and does not
/// touch the grains, shared by the three gauges of one collection. A client process has no silo and
/// so reports none of them.
/// </summary>
public sealed class BudgetGauges(BudgetBoard board, IOptions<MetricsOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly BudgetBoard _board = board;
    private readonly int _topBudgets = options.Value.TopBudgets;

    // A collection asks each observable gauge in turn: one census serves them all.
    private static readonly TimeSpan CensusReuse = TimeSpan.FromMilliseconds(200);

    private static readonly Lock Gate = new();
    private static readonly List<BudgetGauges> Watched = [];
    private static UtilizationCensus? _census;
    private static long _censusAt;

    private static readonly KeyValuePair<string, object?>[] StateTags =
        [.. Enum.GetValues<BudgetState>().Select(s => new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant()))];

    private static readonly KeyValuePair<string, object?>[] BandTags =
        [.. UtilizationCensus.Bounds.Select(b => new KeyValuePair<string, object?>("le", b.ToString(CultureInfo.InvariantCulture))),
            new KeyValuePair<string, object?>("le", "+Inf")];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BudgetGauges), ServiceLifecycleStage.Active, _ => Watch(), _ => Unwatch());

    private Task Watch()
    {
        BudgetMetrics.Touch();
        lock (Gate)
        {
            Watched.Add(this);
            _census = null;
        }

        return Task.CompletedTask;
    }

    private Task Unwatch()
    {
        lock (Gate)
        {
            Watched.Remove(this);
            _census = null;
        }

        return Task.CompletedTask;
    }

    internal static IEnumerable<Measurement<long>> ObserveActive()
    {
        if (Census() is not { } census)
        {
            return [];
        }

        return [.. Enum.GetValues<BudgetState>().Select(state => new Measurement<long>(census.InState(state), StateTags[(int)state]))];
    }

    internal static IEnumerable<Measurement<long>> ObserveBands()
    {
        if (Census() is not { } census)
        {
            return [];
        }

        return [.. BandTags.Select((tag, band) => new Measurement<long>(census.AtMost(band), tag))];
    }

    internal static IEnumerable<Measurement<double>> ObserveTop() =>
        Census() is { } census
            ? [.. census.Top.Select(t => new Measurement<double>((double)t.Utilization,
                new KeyValuePair<string, object?>("tenant", t.TenantId), new KeyValuePair<string, object?>("budget", t.BudgetId)))]
            : [];

    /// <summary>The census of every watched board, made at most once per 200 ms (one collection asks each gauge in turn); null when no silo runs in this process.</summary>
    private static UtilizationCensus? Census()
    {
        lock (Gate)
        {
            if (Watched.Count == 0)
            {
                return null;
            }

            if (_census is { } recent && Stopwatch.GetElapsedTime(_censusAt) < CensusReuse)
            {
                return recent;
            }

            var census = new UtilizationCensus(Watched.Max(w => w._topBudgets));
            foreach (var watched in Watched.Select(w => w._board).Distinct())
            {
                foreach (var (tenantId, budgetId, facts) in watched.Published())
                {
                    census.Add(tenantId, budgetId, facts);
                }
            }

            (_census, _censusAt) = (census, Stopwatch.GetTimestamp());
            return census;
        }
    }
}
