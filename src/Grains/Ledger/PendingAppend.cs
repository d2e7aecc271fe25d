namespace BudgetActors.Grains.Ledger;

/// <summary>An entry waiting for the group-commit writer, and the caller waiting for its answer.</summary>
internal sealed class PendingAppend(LedgerEntry entry, CancellationToken cancellationToken)
{
    // Continuations run on the thread pool, not inside the writer loop: a batch answers hundreds
    // of callers, and none of them may hold up the next batch.
    private readonly TaskCompletionSource<AppendResult> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LedgerEntry Entry { get; } = entry;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<AppendResult> Answer => answer.Task;

    public void Complete(AppendResult result) => answer.TrySetResult(result);

    public void Fail(Exception error) => answer.TrySetException(error);

    public void Cancel() => answer.TrySetCanceled(CancellationToken);
}
