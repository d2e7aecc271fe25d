using BudgetActors.Domain;

namespace BudgetActors.Grains.Tiers;

/// <summary>
/// The budget changes of one tier change (one or many subjects moved), gathered while the tenant's
/// state is changed, then told to the budget grains after the write and recorded in the trail.
/// </summary>
internal sealed class TierChanges
{
    // Budget grains are told in slices: a tier with many subjects must not flood the silo with calls at once.
    private const int Slice = 256;

    private readonly List<(BudgetDefinition Definition, string Subject)> _created = [];
    private readonly List<BudgetDefinition> _updated = [];
    private readonly List<string> _retired = [];

    /// <summary>How many subjects had their budgets changed.</summary>
    public int Subjects { get; private set; }

    public IEnumerable<BudgetDefinition> Created => _created.Select(c => c.Definition);

    public void Add(string subjectKey, TierMove move)
    {
        if (move.IsEmpty)
        {
            return;
        }

        Subjects++;
        var created = move.Created.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var definition in move.Put)
        {
            if (created.Contains(definition.Id))
            {
                _created.Add((definition, subjectKey));
            }
            else
            {
                _updated.Add(definition);
            }
        }

        _retired.AddRange(move.Retired);
    }

    /// <summary>Tells each budget grain of its change (as of directory <paramref name="version"/>); one that misses it catches up from the directory.</summary>
    public async Task Apply(Func<string, IBudgetGrain> budget, long version)
    {
        var calls = _created.Select(c => c.Definition).Concat(_updated).Select(d => (Func<Task>)(() => budget(d.Id).Define(d, version)))
            .Concat(_retired.Select(id => (Func<Task>)(() => budget(id).Retire(version))))
            .ToList();
        foreach (var slice in calls.Chunk(Slice))
        {
            await Task.WhenAll(slice.Select(call => call()));
        }
    }

    /// <summary>One event per budget: <c>budget.instantiated</c>, <c>budget.updated</c>, <c>budget.deleted</c>.</summary>
    public async Task Record(Func<string, string?, object?, Task> audit, string because)
    {
        foreach (var (definition, subjectKey) in _created)
        {
            var (subject, value) = SubjectKeys.Split(subjectKey);
            await audit(AuditEventTypes.BudgetInstantiated, definition.Id, new { tier = definition.Tier, subject, id = value, because, definition });
        }

        foreach (var definition in _updated)
        {
            await audit(AuditEventTypes.BudgetUpdated, definition.Id, new { tier = definition.Tier, because, definition });
        }

        foreach (var id in _retired)
        {
            await audit(AuditEventTypes.BudgetDeleted, id, new { because });
        }
    }
}
