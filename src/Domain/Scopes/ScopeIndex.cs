using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>
/// Which budgets apply to a usage's attributes. A budget applies when every attribute of its scope
/// equals the usage's attribute of that name, or is a prefix of it when the scope value ends in
/// <c>*</c>. Every budget is indexed, so that a lookup only looks at budgets that can match, however
/// many a tenant has: by one exact attribute of its scope; failing that, by one prefix (looked up
/// once per distinct prefix length, without allocating); an empty scope applies to everything.
/// Answers come ordered from the narrowest scope to the widest.
/// </summary>
public sealed class ScopeIndex
{
    private readonly Dictionary<(string Name, string Value), List<BudgetDefinition>> _byExactAttribute = [];
    private readonly Dictionary<string, PrefixTable> _byPrefix = new(StringComparer.Ordinal);
    private readonly List<BudgetDefinition> _everywhere = []; // empty scopes

    public ScopeIndex(IEnumerable<BudgetDefinition> budgets)
    {
        foreach (var budget in budgets)
        {
            if (budget.Scope.Count == 0)
            {
                _everywhere.Add(budget);
            }
            else if (budget.Scope.FirstOrDefault(p => !IsPrefix(p.Value)) is { Key: { } name, Value: var value })
            {
                ListOf(_byExactAttribute, (name, value)).Add(budget);
            }
            else
            {
                var (prefixName, prefix) = budget.Scope.First();
                if (!_byPrefix.TryGetValue(prefixName, out var table))
                {
                    _byPrefix[prefixName] = table = new PrefixTable();
                }

                table.Add(prefix[..^1], budget);
            }
        }
    }

    /// <summary>The ids of the budgets that apply, narrowest scope first, ties broken by id.</summary>
    public ImmutableArray<string> Applicable(IReadOnlyDictionary<string, string> attributes)
    {
        List<BudgetDefinition>? found = _everywhere.Count == 0 ? null : [.. _everywhere];
        foreach (var (name, value) in attributes)
        {
            if (_byExactAttribute.TryGetValue((name, value), out var candidates))
            {
                AddMatches(candidates, attributes, ref found);
            }

            if (_byPrefix.TryGetValue(name, out var table))
            {
                table.AddMatches(value, attributes, ref found);
            }
        }

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

    private static List<BudgetDefinition> ListOf<TKey>(Dictionary<TKey, List<BudgetDefinition>> index, TKey key) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        return list;
    }

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

    /// <summary>Budgets of one attribute indexed by a prefix of its value: one lookup per distinct prefix length.</summary>
    private sealed class PrefixTable
    {
        private readonly Dictionary<string, List<BudgetDefinition>> _byPrefix = new(StringComparer.Ordinal);
        private readonly SortedSet<int> _lengths = [];

        public void Add(string prefix, BudgetDefinition budget)
        {
            ListOf(_byPrefix, prefix).Add(budget);
            _lengths.Add(prefix.Length);
        }

        public void AddMatches(string value, IReadOnlyDictionary<string, string> attributes, ref List<BudgetDefinition>? found)
        {
            var lookup = _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var length in _lengths)
            {
                if (length > value.Length)
                {
                    break;
                }

                if (lookup.TryGetValue(value.AsSpan(0, length), out var candidates))
                {
                    ScopeIndex.AddMatches(candidates, attributes, ref found);
                }
            }
        }
    }
}
