using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// Wraps a chat client so that every call is paid for out of BudgetActors budgets: it reserves the
/// estimated prompt plus the output allowance before the call, commits the real usage after it, and
/// releases the hold when the call fails before producing anything. Add it with
/// <see cref="BudgetChatClientBuilderExtensions.UseBudgets(ChatClientBuilder, IBudgetClient, BudgetChatOptions)"/>.
/// </summary>
/// <remarks>
/// <para>Refused reservation: <see cref="BudgetExceededException"/>, and the model is not called.</para>
/// <para>Decision <c>downgrade</c> naming a model (and <see cref="BudgetChatOptions.HonorDowngrade"/>): the
/// hold is released and the call is reserved again for that model (its estimate, its <c>model</c>
/// attribute), so that its budgets admit it before it runs and its spend lands on them; refused there,
/// it is a <see cref="BudgetExceededException"/>. Granted, the call goes to that model.</para>
/// <para>Settlement (exactly once per granted reservation): commit when the call completed, when a stream
/// was abandoned by its consumer, or when it failed or was cancelled after some output; release when it
/// failed or was cancelled before any output. Counts the provider did not report are estimated
/// (<see cref="TokenEstimate"/>). Commit and release run on their own token
/// (<see cref="BudgetChatOptions.SettlementTimeout"/>), never the caller's, and are retried once.</para>
/// <para>No hold outlives the call: a reservation in flight when the caller cancels (or whose answer is
/// lost) is still awaited, or else found again by its idempotency key, and released before the exception
/// reaches the caller.</para>
/// <para>A commit that fails is retried once; if it fails again the response is still returned (the
/// model call happened and was paid for), the error is logged and <see cref="BudgetChatOptions.OnCommitFailed"/>
/// is called.</para>
/// </remarks>
public sealed class BudgetChatClient : DelegatingChatClient
{
    private readonly IBudgetClient _budgets;
    private readonly BudgetChatOptions _options;
    private readonly ILogger _logger;

    public BudgetChatClient(IChatClient innerClient, IBudgetClient budgets, BudgetChatOptions options, ILogger<BudgetChatClient>? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _budgets = budgets;
        _options = options;
        _logger = logger ?? NullLogger<BudgetChatClient>.Instance;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = AsList(messages);
        var call = await ReserveAsync(prompt, options, streaming: false, cancellationToken);
        var tally = new UsageTally();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(prompt, call.InnerOptions, cancellationToken);
        }
        catch
        {
            await call.SettleAsync(CallEnd.Failed, tally);
            throw;
        }

        tally.Observe(response);
        await call.SettleAsync(CallEnd.Completed, tally);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = AsList(messages);
        var call = await ReserveAsync(prompt, options, streaming: true, cancellationToken);
        var tally = new UsageTally();
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(prompt, call.InnerOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch
        {
            await call.SettleAsync(CallEnd.Failed, tally);
            throw;
        }

        // Until the loop says otherwise, leaving it means the consumer stopped reading: abandoned.
        var end = CallEnd.Abandoned;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch
                {
                    end = CallEnd.Failed;
                    throw;
                }

                if (!more)
                {
                    end = CallEnd.Completed;
                    break;
                }

                tally.Observe(updates.Current);
                yield return updates.Current;
            }
        }
        finally
        {
            await DisposeQuietlyAsync(updates);
            await call.SettleAsync(end, tally);
        }
    }

    private async Task<ReservedCall> ReserveAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, bool streaming, CancellationToken cancellationToken)
    {
        var model = chatOptions?.ModelId
            ?? InnerClient.GetService<ChatClientMetadata>()?.DefaultModelId
            ?? _options.DefaultModelId
            ?? throw new InvalidOperationException(
                "No model to estimate: set ChatOptions.ModelId, use a chat client whose metadata names a default model, or set BudgetChatOptions.DefaultModelId.");
        var plan = CallPlan.Create(messages, chatOptions, model, _options);
        var key = _options.IdempotencyKeyFactory(messages, chatOptions);
        var call = new ReservedCall(_budgets, _options, _logger, plan, await HoldAsync(plan, key, model, streaming, cancellationToken), model, streaming);
        var downgrade = _options.HonorDowngrade
            && call.Reservation is { Decision: Decision.Downgrade, DowngradeTo: { Length: > 0 } to }
            && !string.Equals(to, model, StringComparison.Ordinal);
        if (!downgrade)
        {
            return call;
        }

        // The hold was estimated for the requested model and names it, so it sits on that model's budgets;
        // the call will run (and be charged) on another one, whose budgets must admit it before it runs.
        // The first hold goes before the second is asked for, so that the budgets both fall under (the
        // tenant's, the user's…) do not count the call twice and refuse it for that. One step only: the
        // replacement is not downgraded again.
        var downgradeTo = call.Reservation.DowngradeTo!;
        _logger.LogInformation("Budget policy downgrades the call from {Model} to {DowngradeTo}: reservation {ReservationId} is released and the call reserved again for the downgraded model.",
            model, downgradeTo, call.ReservationId);
        await call.ReleaseUnusedAsync();
        var downgraded = CallPlan.Downgraded(messages, chatOptions, downgradeTo, _options);
        return new ReservedCall(_budgets, _options, _logger, downgraded,
            await HoldAsync(downgraded, CallPlan.DowngradeKey(key, downgradeTo), model, streaming, cancellationToken), model, streaming);
    }

    /// <summary>
    /// Reserves what <paramref name="plan"/> estimates; a refusal is a <see cref="BudgetExceededException"/>
    /// (nothing is held). If the caller never gets the answer — cancelled while the request is in flight, or
    /// the answer failed — the hold it may have produced is released before the exception goes on.
    /// </summary>
    private async Task<BudgetReservation> HoldAsync(CallPlan plan, string? key, string requestedModel, bool streaming, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested(); // nothing sent yet, so nothing to undo
        var request = new BudgetReservationRequest(_options.Tenant, plan.Attributes, plan.Estimate, _options.ReservationTtl, key, _options.Priority);

        // A request once sent may be granted whatever the caller does next, so it does not run on the caller's
        // token: the caller stops waiting at once, and the answer is still awaited to release what it holds.
        using var inFlight = new CancellationTokenSource();
        var reserving = _budgets.ReserveAsync(request, inFlight.Token);
        BudgetReservation reservation;
        try
        {
            reservation = await reserving.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested || MayHaveBeenGranted(e))
        {
            await ReleaseUnseenAsync(reserving, inFlight, request, plan, requestedModel, streaming);
            throw;
        }

        if (!reservation.Granted || reservation.ReservationId is null)
        {
            throw new BudgetExceededException(_options.Tenant, reservation);
        }

        return reservation;
    }

    /// <summary>
    /// The caller will not see this reservation's answer, yet the service may have granted it: a hold that
    /// nobody would settle, refusing other calls until it expires (<see cref="BudgetChatOptions.ReservationTtl"/>).
    /// It is found and released, on the middleware's own tokens, each step within
    /// <see cref="BudgetChatOptions.SettlementTimeout"/>: from the answer, if it still comes; else by asking
    /// again with the same idempotency key, which the service answers with the same reservation (and if the
    /// first request never reached it, with a hold of its own, released all the same). Without a key a lost
    /// answer cannot be found; its hold, if any, expires.
    /// </summary>
    private async Task ReleaseUnseenAsync(
        Task<BudgetReservation> reserving, CancellationTokenSource inFlight, BudgetReservationRequest request, CallPlan plan, string requestedModel, bool streaming)
    {
        BudgetReservation? answer;
        try
        {
            answer = await reserving.WaitAsync(_options.SettlementTimeout);
        }
        catch (Exception e)
        {
            await inFlight.CancelAsync(); // past the wait, the request itself is of no use
            ObserveLater(reserving);
            if (!MayHaveBeenGranted(e))
            {
                return;
            }

            answer = await AskAgainAsync(request, e);
        }

        if (answer is { Granted: true, ReservationId: not null })
        {
            _logger.LogInformation("Reservation {ReservationId} (tenant {Tenant}) was granted for a call that ended before it saw the answer; releasing it.",
                answer.ReservationId, _options.Tenant);
            await new ReservedCall(_budgets, _options, _logger, plan, answer, requestedModel, streaming).SettleAsync(CallEnd.Failed, new UsageTally());
        }
    }

    /// <summary>The reservation a lost answer was for, learned from the service by its idempotency key; null when that is not possible.</summary>
    private async Task<BudgetReservation?> AskAgainAsync(BudgetReservationRequest request, Exception lost)
    {
        if (request.IdempotencyKey is null)
        {
            _logger.LogWarning(lost, "A reservation's answer was lost (tenant {Tenant}) and it has no idempotency key to find it by; if it was granted, its hold lasts until it expires.",
                _options.Tenant);
            return null;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.SettlementTimeout);
            return await _budgets.ReserveAsync(request, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A reservation's answer was lost (tenant {Tenant}, key {IdempotencyKey}) and asking again failed; if it was granted, its hold lasts until it expires.",
                _options.Tenant, request.IdempotencyKey);
            return null;
        }
    }

    /// <summary>
    /// False only for a problem the service answered (4xx): a refused request changes nothing. A 5xx, a lost
    /// connection, a timeout or a cancellation may all have come after the hold was taken.
    /// </summary>
    private static bool MayHaveBeenGranted(Exception e) => e is not BudgetApiException { Status: >= 400 and < 500 };

    /// <summary>A request given up on may still fail later; its exception is observed so that it is not reported as unobserved.</summary>
    private static void ObserveLater(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        try
        {
            await updates.DisposeAsync();
        }
        catch (Exception e)
        {
            // Settling the reservation matters more than the inner stream's cleanup, and must not be skipped.
            _logger.LogWarning(e, "Disposing the inner chat stream threw.");
        }
    }

    private static IReadOnlyList<ChatMessage> AsList(IEnumerable<ChatMessage> messages) =>
        messages as IReadOnlyList<ChatMessage> ?? [.. messages];
}
