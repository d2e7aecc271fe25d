using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>
/// The allocation check of a set of budgets: for each budget, the budgets nested directly inside
/// it and the sum of their limits against its own. Budget B is inside A when every request B applies
/// to, A applies to as well, and B is strictly narrower: B's scope constrains every attribute A's
/// does, with the same value or — where A's is a prefix <c>x*</c> — a value (or a longer prefix)
/// starting with <c>x</c>, and constrains more. Only budgets of the same period (type and time zone)
/// are compared: a daily limit does not share out a monthly one. "Directly" means no third budget
/// lies between, so a grandchild's limit is not counted twice.
/// </summary>
public static class Allocation
{
    public static ImmutableArray<AllocationLine> Of(IReadOnlyCollection<BudgetDefinition> budgets)
    {
        var lines = ImmutableArray.CreateBuilder<AllocationLine>();
        foreach (var parent in budgets.OrderBy(b => b.Id, StringComparer.Ordinal))
        {
            var inside = budgets.Where(b => !ReferenceEquals(b, parent) && SamePeriod(b, parent) && Within(b.Scope, parent.Scope)).ToList();
            var direct = inside.Where(child => !inside.Any(between => !ReferenceEquals(between, child) && Within(child.Scope, between.Scope))).ToList();
            if (direct.Count == 0)
            {
                continue;
            }

            var allocated = new Limits(
                Sum(direct.Select(b => b.Limits.Cost)),
                Sum(direct.Select(b => b.Limits.Tokens)),
                Sum(direct.Select(b => b.Limits.Operations)));
            var over = Passes(allocated.Cost, parent.Limits.Cost) || Passes(allocated.Tokens, parent.Limits.Tokens) || Passes(allocated.Operations, parent.Limits.Operations);
            lines.Add(new AllocationLine(parent.Id, parent.Limits, [.. direct.Select(b => b.Id).Order(StringComparer.Ordinal)], allocated, over));
        }

        return lines.ToImmutable();
    }

    /// <summary>True when <paramref name="inner"/> is strictly narrower than <paramref name="outer"/>.</summary>
    public static bool Within(IReadOnlyDictionary<string, string> inner, IReadOnlyDictionary<string, string> outer)
    {
        foreach (var (name, value) in outer)
        {
            if (!inner.TryGetValue(name, out var narrower) || !Covers(value, narrower))
            {
                return false;
            }
        }

        // Strictly: more attributes, or the same ones with at least one narrower value.
        return inner.Count > outer.Count || outer.Any(o => inner[o.Key] != o.Value);
    }

    /// <summary>Whether a scope value <paramref name="outer"/> matches every value <paramref name="inner"/> matches.</summary>
    private static bool Covers(string outer, string inner) =>
        outer.EndsWith('*')
            ? inner.StartsWith(outer.AsSpan(0, outer.Length - 1), StringComparison.Ordinal)
            : !inner.EndsWith('*') && inner == outer;

    private static bool SamePeriod(BudgetDefinition a, BudgetDefinition b) =>
        a.Period.Type == b.Period.Type && a.Period.TimeZone == b.Period.TimeZone
        && a.Period.Start == b.Period.Start && a.Period.LengthMinutes == b.Period.LengthMinutes && a.Period.WindowMinutes == b.Period.WindowMinutes;

    private static decimal? Sum(IEnumerable<decimal?> limits) => limits.Aggregate((decimal?)null, (sum, l) => l is { } v ? (sum ?? 0m) + v : sum);

    private static long? Sum(IEnumerable<long?> limits) => limits.Aggregate((long?)null, (sum, l) => l is { } v ? checked((sum ?? 0L) + v) : sum);

    private static bool Passes(decimal? allocated, decimal? own) => allocated is { } a && own is { } o && a > o;

    private static bool Passes(long? allocated, long? own) => allocated is { } a && own is { } o && a > o;
}
