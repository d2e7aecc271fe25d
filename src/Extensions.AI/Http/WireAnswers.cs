namespace BudgetActors.Extensions.AI;

// The answers of API.md as read from the wire, and their mapping to the public answer types.

internal sealed record AmountAnswer(decimal Cost, long Tokens, long Operations)
{
    public Amount ToAmount() => new(Cost, Tokens, Operations);

    public static Amount Of(AmountAnswer? answer) => answer?.ToAmount() ?? Amount.Zero;
}

internal sealed record MetricAnswer(decimal? Limit, decimal Spent, decimal Reserved, decimal? Remaining, decimal? Utilization)
{
    public static MetricStatus Of(MetricAnswer? m) =>
        m is null ? new MetricStatus(null, 0m, 0m, null, null) : new MetricStatus(m.Limit, m.Spent, m.Reserved, m.Remaining, m.Utilization);
}

internal sealed record BudgetAnswer(string Id, BudgetState State, MetricAnswer? Cost, MetricAnswer? Tokens, MetricAnswer? Operations, DateTimeOffset? PeriodEnd)
{
    public static IReadOnlyList<BudgetSnapshot> Of(BudgetAnswer[]? budgets) =>
        budgets is null ? [] : [.. budgets.Select(b => new BudgetSnapshot(
            b.Id, b.State, MetricAnswer.Of(b.Cost), MetricAnswer.Of(b.Tokens), MetricAnswer.Of(b.Operations), b.PeriodEnd))];
}

internal sealed record ReserveAnswer(
    bool Granted,
    string? ReservationId,
    DateTimeOffset? ExpiresAt,
    Decision Decision,
    decimal? ThrottleFactor,
    string? DowngradeTo,
    string[]? BlockedBy,
    AmountAnswer? Estimate,
    BudgetAnswer[]? Budgets,
    BudgetReason[]? Reasons = null)
{
    public BudgetReservation ToReservation() => new(
        Granted, ReservationId, ExpiresAt, Decision, ThrottleFactor, DowngradeTo,
        BlockedBy ?? [], AmountAnswer.Of(Estimate), BudgetAnswer.Of(Budgets), Reasons ?? []);
}

internal sealed record CommitAnswer(AmountAnswer? Charged, AmountAnswer? Released, BudgetAnswer[]? Budgets)
{
    public BudgetCommit ToCommit() => new(AmountAnswer.Of(Charged), AmountAnswer.Of(Released), BudgetAnswer.Of(Budgets));
}

internal sealed record ReleaseAnswer(AmountAnswer? Released, BudgetAnswer[]? Budgets)
{
    public BudgetRelease ToRelease() => new(AmountAnswer.Of(Released), BudgetAnswer.Of(Budgets));
}

internal sealed record ProblemAnswer(int? Status, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
