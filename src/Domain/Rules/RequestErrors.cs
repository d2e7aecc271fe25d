using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>
/// What is wrong with a request, field by field (API field names, such as <c>estimate.cost</c> or
/// <c>attributes.user</c>), collected so that a caller learns everything at once.
/// </summary>
public sealed class RequestErrors
{
    // Made at the first error: most requests have none, and every request makes one of these.
    private SortedDictionary<string, List<string>>? _errors;

    public bool IsEmpty => _errors is null;

    public void Add(string field, string message)
    {
        _errors ??= new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public ImmutableSortedDictionary<string, ImmutableArray<string>> ToImmutable() =>
        (_errors ?? []).ToImmutableSortedDictionary(e => e.Key, e => e.Value.ToImmutableArray(), StringComparer.Ordinal);

    public override string ToString() => string.Join("; ", (_errors ?? []).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
