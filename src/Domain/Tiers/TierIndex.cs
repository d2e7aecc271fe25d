using System.Collections.Frozen;

namespace BudgetActors.Domain;

/// <summary>
/// Which subjects of a request still need their tier's budgets, answered from a cached directory. A
/// subject that has them costs one dictionary lookup by attribute name and one by value; a tenant
/// without tiers costs a count. Subjects without a tier (no assignment, and the default tier is of
/// another attribute or there is none) have nothing to create.
/// </summary>
public sealed class TierIndex
{
    public static readonly TierIndex Empty = new(TierDirectory.Empty);

    private readonly FrozenDictionary<string, TierDefinition> _tiers;
    private readonly Dictionary<string, Subjects> _bySubject = new(StringComparer.Ordinal);

    public TierIndex(TierDirectory directory)
    {
        Directory = directory;
        _tiers = directory.Tiers.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
        if (directory.DefaultTier is { } defaultTier && _tiers.TryGetValue(defaultTier, out var tier))
        {
            SubjectsOf(tier.Subject).DefaultTier = tier.Id;
        }

        foreach (var (key, tierId) in directory.Assigned)
        {
            var (subject, value) = SubjectKeys.Split(key);
            SubjectsOf(subject).Assigned[value] = tierId;
        }

        foreach (var (key, tierId) in directory.Instantiated)
        {
            var (subject, value) = SubjectKeys.Split(key);
            SubjectsOf(subject).Instantiated[value] = tierId;
        }
    }

    public TierDirectory Directory { get; }

    public TierDefinition? Find(string tierId) => _tiers.GetValueOrDefault(tierId);

    /// <summary>
    /// The subjects among <paramref name="attributes"/> that have a tier but not its budgets yet, as
    /// (attribute, value); null when there are none, which is the answer for every request after a
    /// subject's first.
    /// </summary>
    public List<(string Subject, string Value)>? Missing(IReadOnlyDictionary<string, string> attributes)
    {
        if (_bySubject.Count == 0)
        {
            return null;
        }

        List<(string, string)>? missing = null;
        foreach (var (name, value) in attributes)
        {
            if (_bySubject.TryGetValue(name, out var subjects) && !subjects.Instantiated.ContainsKey(value) && subjects.TierOf(value) is not null)
            {
                (missing ??= []).Add((name, value));
            }
        }

        return missing;
    }

    /// <summary>The tier a subject is on: its assignment, else the tenant's default tier when that tier is of this attribute.</summary>
    public string? TierOf(string subject, string value) => _bySubject.TryGetValue(subject, out var subjects) ? subjects.TierOf(value) : null;

    /// <summary>The tier whose budgets the subject has now, or null.</summary>
    public string? InstantiatedTier(string subject, string value) =>
        _bySubject.TryGetValue(subject, out var subjects) ? subjects.Instantiated.GetValueOrDefault(value) : null;

    private Subjects SubjectsOf(string subject)
    {
        if (!_bySubject.TryGetValue(subject, out var subjects))
        {
            _bySubject[subject] = subjects = new Subjects();
        }

        return subjects;
    }

    private sealed class Subjects
    {
        public string? DefaultTier { get; set; }

        public Dictionary<string, string> Assigned { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Instantiated { get; } = new(StringComparer.Ordinal);

        public string? TierOf(string value) => Assigned.GetValueOrDefault(value) ?? DefaultTier;
    }
}
