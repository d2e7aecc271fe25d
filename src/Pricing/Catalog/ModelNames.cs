namespace BudgetActors.Pricing;

/// <summary>
/// The names a model may be asked for by: exactly as given first, then with known provider or router
/// prefixes taken off one at a time (<c>openrouter/anthropic/claude-3.5-sonnet</c> →
/// <c>anthropic/claude-3.5-sonnet</c> → <c>claude-3.5-sonnet</c>). Exact names win, so a catalog or a
/// tenant can still price <c>azure/gpt-4o</c> differently from <c>gpt-4o</c>. Dated snapshots are NOT
/// stripped automatically: a snapshot can be priced differently (gpt-4o-2024-05-13 costs twice
/// gpt-4o), so each one is listed as an alias of the entry it belongs to.
/// </summary>
internal sealed class ModelNames(IReadOnlyList<string> prefixes)
{
    // Longest first, so "azure_ai/" is preferred to "azure/" when both are listed.
    private readonly string[] _prefixes = [.. prefixes.OrderByDescending(p => p.Length)];

    public IReadOnlyList<string> Prefixes => _prefixes;

    public IEnumerable<string> Candidates(string model)
    {
        var current = model.Trim();
        if (current.Length == 0) yield break;
        yield return current;
        while (Strip(current) is { } shorter)
        {
            yield return shorter;
            current = shorter;
        }
    }

    private string? Strip(string name)
    {
        foreach (var prefix in _prefixes)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return name[prefix.Length..];
        }
        return null;
    }
}
