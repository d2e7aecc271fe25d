namespace BudgetActors.TestSupport.Failover;

/// <summary>
/// One operation of a caller — a request sent again with the same key and body until it is answered —
/// and what it did: the ledger entry an acknowledged charge must have, once.
/// </summary>
/// <param name="Start">When its first request was sent, from the kill.</param>
/// <param name="End">When it was answered (or given up), from the kill.</param>
/// <param name="EntryKey">The ledger entry an acknowledged charge or hold must have (<c>usage:…</c>, <c>commit:…</c>, <c>hold:…</c>); null for a check.</param>
/// <param name="Failure">Why it was not acknowledged; null when it was.</param>
public sealed record FailoverOperation(
    FailoverRequestKind Kind, string Key, TimeSpan Start, TimeSpan End, int Attempts, string? EntryKey, decimal Cost, string? Failure)
{
    public bool Acknowledged => Failure is null;

    /// <summary>How long its caller waited for an answer after the kill, retries included.</summary>
    public TimeSpan WaitFromKill => End - (Start > TimeSpan.Zero ? Start : TimeSpan.Zero);
}
