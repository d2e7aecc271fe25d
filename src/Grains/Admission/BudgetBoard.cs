using System.Collections.Concurrent;
using BudgetActors.Domain;

namespace BudgetActors.Grains.Admission;

/// <summary>
/// The facts of the budgets active in this process, published by their grains after every change,
/// so that a check made in this process — the HTTP host's, or the admission grain's for job workers
/// — is answered without a grain call: from the grain's own facts, by the same rule, exactly as the
/// grain would answer it at that moment. A check that finds no entry, or one that is not current (a
/// rollover or an expiry due, or a caller routing with a newer directory than the grain has seen),
/// asks the grain, which moves on and publishes again. Only checks read it: holds, and everything
/// that changes a budget, go to the grain.
/// </summary>
public sealed class BudgetBoard
{
    private readonly ConcurrentDictionary<(string Tenant, string Budget), Slot> _slots = new();

    /// <summary>The slot a budget activation publishes to; publishing then writes no dictionary.</summary>
    public Slot Join(string tenantId, string budgetId) => _slots[(tenantId, budgetId)] = new Slot();

    /// <summary>The activation goes: checks ask whichever activation comes next.</summary>
    public void Leave(string tenantId, string budgetId, Slot slot) => _slots.TryRemove(KeyValuePair.Create((tenantId, budgetId), slot));

    /// <summary>The verdict the budget's grain would give now, or null when only the grain can tell (see <see cref="BudgetFacts.TryEvaluate"/>).</summary>
    public BudgetVerdict? TryCheck(string tenantId, string budgetId, Amount amount, int priority, long directoryVersion, DateTimeOffset now) =>
        _slots.TryGetValue((tenantId, budgetId), out var slot) && slot.Current is { } entry
            && directoryVersion <= entry.KnownVersion && entry.Facts.CurrentAt(now)
            ? entry.Facts.TryEvaluate(amount, priority, now)
            : null;

    /// <summary>Every budget active in this process with its latest facts, for the metrics at scrape time (enumerating takes no lock).</summary>
    public IEnumerable<(string TenantId, string BudgetId, BudgetFacts Facts)> Published()
    {
        foreach (var (key, slot) in _slots)
        {
            if (slot.Current is { } entry)
            {
                yield return (key.Tenant, key.Budget, entry.Facts);
            }
        }
    }

    /// <summary>One budget activation's latest facts (null: not defined now).</summary>
    public sealed class Slot
    {
        private Entry? _current;

        public Entry? Current => Volatile.Read(ref _current);

        /// <param name="knownVersion">The newest tenant directory version the grain has brought its definition up to.</param>
        public void Publish(BudgetFacts? facts, long knownVersion) =>
            Volatile.Write(ref _current, facts is null ? null : new Entry(facts, knownVersion));
    }

    public sealed record Entry(BudgetFacts Facts, long KnownVersion);
}
