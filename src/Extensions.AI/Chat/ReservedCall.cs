using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// One granted reservation and its settlement, which happens exactly once: commit when the call
/// completed, was abandoned, or produced output before it failed; release otherwise.
/// </summary>
/// <param name="plan">What the reservation holds: the model the call goes to (after a downgrade, the downgraded one) and its estimate.</param>
/// <param name="requestedModel">The model the caller asked for.</param>
internal sealed class ReservedCall(
    IBudgetClient budgets,
    BudgetChatOptions options,
    ILogger logger,
    CallPlan plan,
    BudgetReservation reservation,
    string requestedModel,
    bool streaming)
{
    private int _settled;

    public string ReservationId { get; } = reservation.ReservationId!;

    public BudgetReservation Reservation => reservation;

    public string CalledModel => plan.Model;

    /// <summary>The options the inner client gets: the caller's, minus the middleware's property, with the model switched after a downgrade.</summary>
    public ChatOptions? InnerOptions => plan.InnerOptions;

    public async Task SettleAsync(CallEnd end, UsageTally tally)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 1)
        {
            return;
        }

        var spent = end != CallEnd.Failed || tally.HasOutput;
        if (spent)
        {
            await CommitAsync(end, tally);
        }
        else
        {
            await ReleaseAsync(end);
        }
    }

    /// <summary>
    /// Frees the hold of a reservation the call will not run under (a downgrade replaces it). Not a
    /// settlement of the call, so <see cref="BudgetChatOptions.OnSettled"/> is not told; a failure is logged.
    /// </summary>
    public async Task ReleaseUnusedAsync()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 1)
        {
            return;
        }

        if (await TryReleaseAsync() is (null, var error))
        {
            logger.LogWarning(error, "Release of reservation {ReservationId} (tenant {Tenant}), replaced after a downgrade, failed; its hold frees itself when the reservation expires.",
                ReservationId, options.Tenant);
        }
    }

    /// <summary>
    /// Commits the usage, retrying once. A commit is idempotent on the server (a second commit of the same
    /// reservation returns the first result), so the retry cannot charge twice. A 4xx other than 408/429
    /// is not retried: the same request would be refused again.
    /// </summary>
    private async Task CommitAsync(CallEnd end, UsageTally tally)
    {
        // The model that answered is the one the provider names, else the one that was asked for.
        var (actual, estimated) = tally.ToLlmUsage(tally.ReportedModel ?? CalledModel, PromptTokens(), options);
        Exception? last = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(options.SettlementTimeout);
                var commit = await budgets.CommitAsync(options.Tenant, ReservationId, actual, timeout.Token);
                Report(end, SettlementKind.Committed, actual, estimated, commit, null, null);
                return;
            }
            catch (Exception e)
            {
                last = e;
                if (!Retryable(e))
                {
                    break;
                }

                if (attempt == 1)
                {
                    logger.LogWarning(e, "Commit of reservation {ReservationId} (tenant {Tenant}) failed; retrying once.", ReservationId, options.Tenant);
                }
            }
        }

        logger.LogError(last, "Commit of reservation {ReservationId} (tenant {Tenant}) failed: {Actual} is not recorded; the hold lasts until the reservation expires.",
            ReservationId, options.Tenant, actual);
        Notify(options.OnCommitFailed, new BudgetCommitFailure(options.Tenant, ReservationId, actual, last!));
        Report(end, SettlementKind.CommitFailed, actual, estimated, null, null, last);
    }

    /// <summary>
    /// The prompt's tokens for a commit whose input the provider did not report: as the reservation counted
    /// them, so that the hold and the charge agree — the service counts an <c>llm</c> estimate with the
    /// model's tokenizer (a local pricer with its own count), and its answer's tokens are that count plus
    /// the output allowance. An answer without a count (nothing beyond the allowance) leaves the local
    /// <see cref="TokenEstimate"/>.
    /// </summary>
    private long PromptTokens()
    {
        var counted = reservation.Estimate.Tokens - plan.Estimate.MaxOutputTokens;
        return counted > 0 ? counted : plan.PromptTokens;
    }

    private async Task ReleaseAsync(CallEnd end)
    {
        var (release, error) = await TryReleaseAsync();
        if (release is not null)
        {
            Report(end, SettlementKind.Released, null, false, null, release, null);
            return;
        }

        // The caller is about to see the call's own failure; this one must not hide it.
        logger.LogWarning(error, "Release of reservation {ReservationId} (tenant {Tenant}) failed; the hold frees itself when the reservation expires.",
            ReservationId, options.Tenant);
        Report(end, SettlementKind.ReleaseFailed, null, false, null, null, error);
    }

    /// <summary>
    /// Releases on the middleware's own token, retrying once as a commit is: a release is idempotent on the
    /// server, and a hold left behind refuses other calls until it expires.
    /// </summary>
    private async Task<(BudgetRelease? Release, Exception? Error)> TryReleaseAsync()
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(options.SettlementTimeout);
                return (await budgets.ReleaseAsync(options.Tenant, ReservationId, timeout.Token), null);
            }
            catch (Exception e)
            {
                last = e;
                if (!Retryable(e))
                {
                    break;
                }
            }
        }

        return (null, last);
    }

    private static bool Retryable(Exception e) =>
        e is not BudgetApiException { Status: >= 400 and < 500 and not 408 and not 429 };

    private void Report(CallEnd end, SettlementKind kind, AmountSpec? actual, bool estimated, BudgetCommit? commit, BudgetRelease? release, Exception? error) =>
        Notify(options.OnSettled, new BudgetSettlement(options.Tenant, ReservationId, reservation, requestedModel, CalledModel, streaming,
            end, kind, actual, estimated, commit, release, error));

    private void Notify<T>(Action<T>? callback, T value)
    {
        try
        {
            callback?.Invoke(value);
        }
        catch (Exception e)
        {
            logger.LogError(e, "A budget callback threw; the settlement of reservation {ReservationId} is unaffected.", ReservationId);
        }
    }
}
