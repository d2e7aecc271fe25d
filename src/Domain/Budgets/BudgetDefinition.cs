using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A budget as its tenant defined it. <see cref="Scope"/> maps attribute names to values (a value
/// ending in <c>*</c> matches by prefix); an empty scope is the whole tenant.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetDefinition")]
public sealed record BudgetDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Scope,
    [property: Id(2)] PeriodSpec Period,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] Thresholds Thresholds,
    [property: Id(5)] EnforcementMode Mode,
    [property: Id(6)] string? DowngradeTo,
    [property: Id(7)] AlertPolicy? Alerts = null,
    [property: Id(8)] EmergencyPolicy? Emergency = null,
    ImmutableArray<LimitRaise> Raises = default,
    [property: Id(10)] EnforcementPolicy? Enforcement = null,
    [property: Id(11)] CarryOverPolicy? CarryOver = null,
    [property: Id(12)] RateLimits? RateLimits = null,
    [property: Id(13)] Limits? PerRequest = null,
    [property: Id(14)] string? Tier = null)
{
    /// <summary>The enforcement policy, never null (none is the defaults).</summary>
    public EnforcementPolicy Policy => Enforcement ?? EnforcementPolicy.None;

    // Not readonly only so that SameAs can compare the rest of the record with a `with` that copies it.
    [Id(9)]
    private ImmutableArray<LimitRaise> _raises = Raises;

    /// <summary>
    /// Approved overrides, expired ones included until the tenant retires them (they no longer count).
    /// Never default: a definition stored before raises existed reads back with none.
    /// </summary>
    public ImmutableArray<LimitRaise> Raises
    {
        get => _raises.IsDefault ? [] : _raises;
        init => _raises = value;
    }

    /// <summary>The same definition, scope and raises compared by content (the record's own equality compares them by reference).</summary>
    public bool SameAs(BudgetDefinition other) =>
        this with { Scope = other.Scope, _raises = other._raises } == other
        && Scope.Count == other.Scope.Count && Scope.SequenceEqual(other.Scope) && Raises.SequenceEqual(other.Raises);

    /// <summary>The limits in force at <paramref name="now"/>: the defined ones plus every raise not yet expired.</summary>
    public Limits LimitsAt(DateTimeOffset now)
    {
        if (Raises.IsEmpty)
        {
            return Limits;
        }

        var (cost, tokens, operations) = (Limits.Cost, Limits.Tokens, Limits.Operations);
        foreach (var raise in Raises)
        {
            if (now < raise.ExpiresAt)
            {
                cost += raise.Raise.Cost;
                tokens = tokens is { } t ? checked(t + raise.Raise.Tokens) : null;
                operations = operations is { } o ? checked(o + raise.Raise.Operations) : null;
            }
        }

        return new Limits(cost, tokens, operations);
    }

    /// <summary>When the limits next change by themselves (the earliest raise still in force ends), or null.</summary>
    public DateTimeOffset? NextRaiseExpiry(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var raise in Raises)
        {
            if (now < raise.ExpiresAt && (next is not { } n || raise.ExpiresAt < n))
            {
                next = raise.ExpiresAt;
            }
        }

        return next;
    }
}
