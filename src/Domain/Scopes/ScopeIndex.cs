using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>
/// Which budgets apply to a usage's attributes. A budget applies when every attribute of its scope
/// equals the usage's attribute of that name, or is a prefix of it when the scope value ends in
/// <c>*</c>. Budgets are indexed by one exact attribute of their scope so that a lookup only looks at
/// budgets that can match; answers come ordered from the narrowest scope to the widest.
/// </summary>
public sealed class ScopeIndex
{
    private readonly Dictionary<(string Name, string Value), List<BudgetDefinition>> _byExactAttribute = [];
    private readonly List<BudgetDefinition> _unindexed = []; // empty scopes and scopes of prefixes only

    public ScopeIndex(IEnumerable<BudgetDefinition> budgets)
    {
        foreach (var budget in budgets)
        {
            var exact = budget.Scope.FirstOrDefault(p => !IsPrefix(p.Value));
            if (exact.Key is null)
            {
                _unindexed.Add(budget);
            }
            else if (_byExactAttribute.TryGetValue((exact.Key, exact.Value), out var list))
            {
                list.Add(budget);
            }
            else
            {
                _byExactAttribute[(exact.Key, exact.Value)] = [budget];
            }
        }
    }

    /// <summary>The ids of the budgets that apply, narrowest scope first, ties broken by id.</summary>
    public ImmutableArray<string> Applicable(IReadOnlyDictionary<string, string> attributes)
    {
        List<BudgetDefinition>? found = null;
        foreach (var (name, value) in attributes)
        {
            if (_byExactAttribute.TryGetValue((name, value), out var candidates))
            {
                AddMatches(candidates, attributes, ref found);
            }
        }

        AddMatches(_unindexed, attributes, ref found);
        if (found is null)
        {
            return [];
        }

        if (found.Count > 1)
        {
            found.Sort(NarrowestFirst);
        }

        var ids = ImmutableArray.CreateBuilder<string>(found.Count);
        foreach (var budget in found)
        {
            ids.Add(budget.Id);
        }

        return ids.MoveToImmutable();
    }

    public static bool Matches(IReadOnlyDictionary<string, string> scope, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var (name, expected) in scope)
        {
            if (!attributes.TryGetValue(name, out var actual))
            {
                return false;
            }

            var ok = IsPrefix(expected)
                ? actual.StartsWith(expected.AsSpan(0, expected.Length - 1), StringComparison.Ordinal)
                : actual == expected;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The order in which a reservation takes its holds: more attributes is narrower; among equals an
    /// exact value is narrower than a prefix; then by id, so that every reservation takes holds in the
    /// same global order and waiting on a tentative hold can never form a cycle.
    /// </summary>
    public static int NarrowestFirst(BudgetDefinition a, BudgetDefinition b)
    {
        var byCount = b.Scope.Count.CompareTo(a.Scope.Count);
        if (byCount != 0)
        {
            return byCount;
        }

        var byPrefixes = a.Scope.Values.Count(IsPrefix).CompareTo(b.Scope.Values.Count(IsPrefix));
        return byPrefixes != 0 ? byPrefixes : string.CompareOrdinal(a.Id, b.Id);
    }

    private static bool IsPrefix(string scopeValue) => scopeValue.EndsWith('*');

    private static void AddMatches(List<BudgetDefinition> candidates, IReadOnlyDictionary<string, string> attributes, ref List<BudgetDefinition>? found)
    {
        foreach (var budget in candidates)
        {
            if (Matches(budget.Scope, attributes))
            {
                (found ??= []).Add(budget);
            }
        }
    }
}
