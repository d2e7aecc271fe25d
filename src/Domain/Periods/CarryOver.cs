namespace BudgetActors.Domain;

/// <summary>
/// The arithmetic of <see cref="CarryOverPolicy"/>: what a closed period passes to the next one, and
/// the limits that gives. A carry is signed, per metric: positive is unused budget added to the next
/// period's limit, negative is overage taken from it. Only limited metrics carry anything.
/// </summary>
public static class CarryOver
{
    /// <summary>
    /// What a period that closed with <paramref name="limits"/> in force and <paramref name="spent"/>
    /// passes on: unused budget (limit − spent) up to <c>unusedCap</c> × the defined limit, or the
    /// overage (spent − limit) taken away. Null when the policy passes nothing.
    /// </summary>
    /// <param name="defined">The definition's own limits: the cap is a share of them, not of limits raised by an earlier carry.</param>
    /// <param name="limits">The limits in force when the period closed (carry, overrides and emergency room included).</param>
    public static Amount? Out(CarryOverPolicy? policy, Limits defined, Limits limits, Tally spent)
    {
        if (policy is null || (!policy.Unused && !policy.Overage))
        {
            return null;
        }

        var cost = Metric(policy, defined.Cost, limits.Cost, spent.Cost, whole: false);
        var tokens = Metric(policy, defined.Tokens, limits.Tokens, spent.Tokens, whole: true);
        var operations = Metric(policy, defined.Operations, limits.Operations, spent.Operations, whole: true);
        var carry = new Amount(cost, (long)Math.Clamp(tokens, long.MinValue, long.MaxValue), (long)Math.Clamp(operations, long.MinValue, long.MaxValue));
        return carry == Amount.Zero ? null : carry;
    }

    /// <summary>Limits with a carry applied; a limit never goes below zero, and a metric without a limit stays without one.</summary>
    public static Limits Apply(Limits limits, Amount? carry) => carry is null ? limits : new Limits(
        limits.Cost is { } c ? Math.Max(0m, c + carry.Cost) : null,
        limits.Tokens is { } t ? Math.Max(0L, checked(t + carry.Tokens)) : null,
        limits.Operations is { } o ? Math.Max(0L, checked(o + carry.Operations)) : null);

    /// <summary>What a carry really changes on <paramref name="limits"/> (no more than takes a limit to zero); null when nothing.</summary>
    public static Amount? Effective(Limits limits, Amount? carry)
    {
        if (carry is null)
        {
            return null;
        }

        var applied = Apply(limits, carry);
        var effective = new Amount(
            (applied.Cost ?? 0m) - (limits.Cost ?? 0m),
            (applied.Tokens ?? 0L) - (limits.Tokens ?? 0L),
            (applied.Operations ?? 0L) - (limits.Operations ?? 0L));
        return effective == Amount.Zero ? null : effective;
    }

    /// <summary>The limits before an effective carry was applied.</summary>
    public static Limits Without(Limits limits, Amount? effective) => effective is null ? limits : new Limits(
        limits.Cost - effective.Cost,
        limits.Tokens - effective.Tokens,
        limits.Operations - effective.Operations);

    private static decimal Metric(CarryOverPolicy policy, decimal? defined, decimal? limit, decimal spent, bool whole)
    {
        if (limit is not { } l || defined is not { } d)
        {
            return 0m;
        }

        if (spent > l)
        {
            // Overage: spend past the limit in force, taken whole from the next period (counts are whole already).
            return policy.Overage ? -(spent - l) : 0m;
        }

        if (!policy.Unused)
        {
            return 0m;
        }

        // Money is kept to 6 places and counts are whole: the cap rounds down, never granting more than cap × limit.
        var cap = policy.UnusedCap * d;
        cap = whole ? Math.Floor(cap) : Math.Floor(cap * 1_000_000m) / 1_000_000m;
        var unused = whole ? Math.Floor(l - spent) : l - spent;
        return Math.Min(unused, cap);
    }
}
