using System.Collections.Concurrent;

namespace BudgetActors.Domain;

/// <summary>
/// One copy per process of the parts of budget definitions that many budgets have alike — limits,
/// thresholds, periods (with their time zone's name) — instead of one per budget: a tenant's per-user
/// budgets usually differ only in their scope, and a silo keeps a million definitions (each arrives
/// deserialized with parts of its own). The parts are immutable records, so sharing changes nothing
/// but the memory; amounts are matched exactly, scale included, so a limit of 50.00 stays 50.00. At
/// most <see cref="Capacity"/> distinct values of each kind are kept; past that, parts are not shared.
/// </summary>
public static class SharedDefinitionParts
{
    public const int Capacity = 16_384;

    private static readonly Pool<Limits> LimitsPool = new(new ExactLimits());
    private static readonly Pool<Thresholds> ThresholdsPool = new(new ExactThresholds());
    private static readonly Pool<PeriodSpec> PeriodPool = new(EqualityComparer<PeriodSpec>.Default);

    /// <summary>The definition with its shared parts (itself when they are already the shared ones).</summary>
    public static BudgetDefinition Share(BudgetDefinition definition)
    {
        var limits = LimitsPool.Share(definition.Limits);
        var thresholds = ThresholdsPool.Share(definition.Thresholds);
        var period = PeriodPool.Share(definition.Period);
        return ReferenceEquals(limits, definition.Limits) && ReferenceEquals(thresholds, definition.Thresholds) && ReferenceEquals(period, definition.Period)
            ? definition
            : definition with { Limits = limits, Thresholds = thresholds, Period = period };
    }

    private sealed class Pool<T>(IEqualityComparer<T> comparer) where T : class
    {
        private readonly ConcurrentDictionary<T, T> _values = new(comparer);
        private int _count;

        public T Share(T value)
        {
            if (_values.TryGetValue(value, out var shared))
            {
                return shared;
            }

            if (Volatile.Read(ref _count) >= Capacity)
            {
                return value;
            }

            if (_values.TryAdd(value, value))
            {
                Interlocked.Increment(ref _count);
                return value;
            }

            return _values.TryGetValue(value, out shared) ? shared : value;
        }
    }

    /// <summary>Decimals equal in value and in scale (and sign): the same when written out.</summary>
    private static bool Exact(decimal a, decimal b) => a == b && a.Scale == b.Scale && decimal.IsNegative(a) == decimal.IsNegative(b);

    private static bool Exact(decimal? a, decimal? b) => a is { } x ? b is { } y && Exact(x, y) : b is null;

    private sealed class ExactLimits : IEqualityComparer<Limits>
    {
        public bool Equals(Limits? a, Limits? b) =>
            ReferenceEquals(a, b) || (a is not null && b is not null && Exact(a.Cost, b.Cost) && a.Tokens == b.Tokens && a.Operations == b.Operations);

        public int GetHashCode(Limits limits) => limits.GetHashCode();
    }

    private sealed class ExactThresholds : IEqualityComparer<Thresholds>
    {
        public bool Equals(Thresholds? a, Thresholds? b) =>
            ReferenceEquals(a, b) || (a is not null && b is not null && Exact(a.Warn, b.Warn) && Exact(a.Throttle, b.Throttle) && Exact(a.Block, b.Block));

        public int GetHashCode(Thresholds thresholds) => thresholds.GetHashCode();
    }
}
