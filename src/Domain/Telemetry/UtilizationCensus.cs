namespace BudgetActors.Domain;

/// <summary>
/// What the metrics say about the budgets active in one process, counted from their published facts
/// at scrape time (never on the admission path): how many are in each state, how many are in each
/// utilization band, and the few most utilized ones by name. The number of series this makes is
/// fixed by the bands and <see cref="Top"/>'s size, whatever the number of budgets or tenants.
/// </summary>
public sealed class UtilizationCensus
{
    /// <summary>
    /// The upper bounds of the utilization bands, cumulative like a Prometheus histogram's <c>le</c>:
    /// the count at a bound is of budgets whose utilization is at most that bound. Chosen around the
    /// default thresholds (warn 0.75, throttle 0.9, block 1.0) and the overspend a soft budget, grace
    /// or an emergency ceiling allows.
    /// </summary>
    public static readonly IReadOnlyList<decimal> Bounds = [0.25m, 0.5m, 0.75m, 0.9m, 1m, 1.1m, 1.5m];

    private readonly int[] _byState = new int[Enum.GetValues<BudgetState>().Length];
    private readonly int[] _atMost = new int[Bounds.Count + 1]; // the last: every budget (+Inf)
    private readonly int _topSize;

    // The most utilized so far, least utilized first, so that the one to evict is at index 0.
    private readonly List<Ranked> _top;

    /// <param name="topSize">How many budgets <see cref="Top"/> names (0: none).</param>
    public UtilizationCensus(int topSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topSize);
        _topSize = topSize;
        _top = new List<Ranked>(topSize + 1);
    }

    /// <summary>Budgets counted.</summary>
    public int Count => _atMost[^1];

    /// <summary>How many counted budgets are in <paramref name="state"/>.</summary>
    public int InState(BudgetState state) => _byState[(int)state];

    /// <summary>How many counted budgets have a utilization of at most <see cref="Bounds"/>[<paramref name="band"/>] (<see cref="Bounds"/>.Count: all of them).</summary>
    public int AtMost(int band) => _atMost[band];

    /// <summary>The most utilized budgets, most utilized first; ties go to the smaller tenant id, then budget id (ordinal), so that a scrape is stable.</summary>
    public IReadOnlyList<Ranked> Top => [.. Enumerable.Reverse(_top)];

    /// <summary>Counts one budget at its facts (spend plus holds, against the limits in force).</summary>
    public void Add(string tenantId, string budgetId, BudgetFacts facts)
    {
        var used = facts.Spent + facts.Reserved;
        Add(tenantId, budgetId, AdmissionRule.Utilization(used, facts.Definition.Limits), AdmissionRule.StateOf(facts.Definition, used));
    }

    public void Add(string tenantId, string budgetId, decimal utilization, BudgetState state)
    {
        _byState[(int)state]++;
        for (var band = 0; band < _atMost.Length; band++)
        {
            if (band == Bounds.Count || utilization <= Bounds[band])
            {
                _atMost[band]++;
            }
        }

        if (_topSize == 0)
        {
            return;
        }

        var ranked = new Ranked(tenantId, budgetId, utilization);
        if (_top.Count == _topSize)
        {
            if (Compare(ranked, _top[0]) <= 0)
            {
                return; // not among the most utilized: the common case costs one comparison
            }

            _top.RemoveAt(0);
        }

        // A short sorted list: N is small (tens), and only a budget that enters it pays for the insert.
        var at = _top.BinarySearch(ranked, Comparer<Ranked>.Create(Compare));
        _top.Insert(at < 0 ? ~at : at, ranked);
    }

    /// <summary>Greater is more utilized; equal utilizations rank the smaller ids higher.</summary>
    private static int Compare(Ranked a, Ranked b)
    {
        var byUtilization = a.Utilization.CompareTo(b.Utilization);
        if (byUtilization != 0)
        {
            return byUtilization;
        }

        var byTenant = string.CompareOrdinal(b.TenantId, a.TenantId);
        return byTenant != 0 ? byTenant : string.CompareOrdinal(b.BudgetId, a.BudgetId);
    }

    /// <param name="Utilization">The highest share of a limit in use over the limited metrics (spend plus holds).</param>
    public sealed record Ranked(string TenantId, string BudgetId, decimal Utilization);
}
