namespace BudgetActors.TestSupport.Failover;

/// <summary>
/// One HTTP request of the failover load (a retry is a request of its own), timed against the kill.
/// </summary>
/// <param name="Start">When it was sent, from the kill (negative: before it).</param>
/// <param name="Duration">Until its answer, or until it failed without one.</param>
/// <param name="Status">The HTTP status; 0 when there was no answer (a network error or the client's timeout).</param>
/// <param name="Problem">For an error: the problem's title, or what the client met.</param>
public sealed record FailoverAttempt(FailoverRequestKind Kind, string Key, int Attempt, TimeSpan Start, TimeSpan Duration, int Status, string? Problem)
{
    public TimeSpan End => Start + Duration;

    /// <summary>Not an answer a caller can use: a 5xx, or nothing at all. The caller sends it again.</summary>
    public bool IsError => Status is 0 or >= 500;

    /// <summary>How long it kept its caller waiting after the kill (its whole duration if it was sent after).</summary>
    public TimeSpan DurationFromKill => Start >= TimeSpan.Zero ? Duration : End > TimeSpan.Zero ? End : TimeSpan.Zero;
}
