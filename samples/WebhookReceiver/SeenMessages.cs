using System.Collections.Concurrent;

namespace BudgetActors.WebhookReceiver;

/// <summary>
/// The webhook-ids handled lately. Ids are kept twice the timestamp tolerance: a copy older than
/// that is refused by its timestamp anyway, so nothing older needs remembering. (Several receiver
/// instances would share this in a database or cache instead.)
/// </summary>
public sealed class SeenMessages
{
    private static readonly TimeSpan Keep = WebhookVerifier.Tolerance * 2;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public int Count => _seen.Count;

    /// <summary>False if <paramref name="id"/> was handled already.</summary>
    public bool TryAdd(string id, DateTimeOffset now)
    {
        foreach (var (old, at) in _seen)
        {
            if (now - at > Keep)
            {
                _seen.TryRemove(old, out _);
            }
        }

        return _seen.TryAdd(id, now);
    }

    public bool Contains(string id) => _seen.ContainsKey(id);
}
