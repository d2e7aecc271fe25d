using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>The decision over several budgets: the most restrictive of theirs.</summary>
public readonly record struct CombinedVerdict(
    Decision Decision,
    decimal? ThrottleFactor,
    string? DowngradeTo,
    ImmutableArray<string> BlockedBy,
    ImmutableArray<BudgetStatus> Budgets,
    ImmutableArray<BudgetReason> Reasons)
{
    public static CombinedVerdict Of(IReadOnlyList<BudgetVerdict> verdicts)
    {
        var decision = Decision.Allow;
        decimal? throttleFactor = null;
        string? downgradeTo = null;
        var blockedBy = ImmutableArray.CreateBuilder<string>();
        var budgets = ImmutableArray.CreateBuilder<BudgetStatus>(verdicts.Count);
        foreach (var verdict in verdicts)
        {
            budgets.Add(verdict.Status);
            decision = verdict.Decision > decision ? verdict.Decision : decision;
            if (verdict.ThrottleFactor is { } factor)
            {
                throttleFactor = throttleFactor is { } f ? Math.Min(f, factor) : factor;
            }

            downgradeTo ??= verdict.DowngradeTo;
            if (verdict.Decision == Decision.Block)
            {
                blockedBy.Add(verdict.Status.BudgetId);
            }
        }

        // One per budget that is not plain allow, most restrictive first (in budget order among equals).
        var reasons = verdicts.Where(v => v.Reason is not null).Select(v => v.Reason!)
            .OrderByDescending(r => r.Decision).ToImmutableArray();
        return new CombinedVerdict(decision,
            decision == Decision.Throttle ? throttleFactor : null,
            decision == Decision.Downgrade ? downgradeTo : null,
            blockedBy.ToImmutable(), budgets.MoveToImmutable(), reasons);
    }
}
