using System.Collections.Immutable;

namespace BudgetActors.Alerts;

/// <summary>
/// What is wrong with a channel definition, field by field (the API's field names: <c>channelId</c>,
/// <c>type</c>, <c>url</c>, <c>to</c>). The same shape as the domain's request errors, so the host
/// answers them as the same 400 problem+json.
/// </summary>
public sealed class ChannelErrors
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

    public bool Has(string field) => _errors.ContainsKey(field);

    public ImmutableSortedDictionary<string, ImmutableArray<string>> ToImmutable() =>
        _errors.ToImmutableSortedDictionary(e => e.Key, e => e.Value.ToImmutableArray(), StringComparer.Ordinal);

    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
