using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>
/// What is wrong with a request, field by field (API field names, such as <c>estimate.cost</c> or
/// <c>attributes.user</c>), collected so that a caller learns everything at once.
/// </summary>
public sealed class RequestErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public ImmutableSortedDictionary<string, ImmutableArray<string>> ToImmutable() =>
        _errors.ToImmutableSortedDictionary(e => e.Key, e => e.Value.ToImmutableArray(), StringComparer.Ordinal);

    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
