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
/// (<see cref="BudgetChatOptions.SettlementTimeout"/>), never the caller's.</para>
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
        var call = new ReservedCall(_budgets, _options, _logger, plan, await HoldAsync(plan, key, cancellationToken), model, streaming);
        var downgrade = _options.HonorDowngrade
            && call.Reservation is { Decision: Decision.Downgrade, DowngradeTo: { Length: > 0 } to }
            && !string.Equals(to, model, StringComparison.Ordinal);
        if (!downgrade)
        {
            return call;
        }

        // The hold was estimated for the requested model and names it, so it sits on that model's budgets; the
        // call will run (and be charged) on another one, whose budgets must admit it before it runs. The first hold goes before the
        // second is asked for, so that the budgets both fall under (the tenant's, the user's…) do not count
        // the call twice and refuse it for that. One step only: the replacement is not downgraded again.
        var downgradeTo = call.Reservation.DowngradeTo!;
        _logger.LogInformation("Budget policy downgrades the call from {Model} to {DowngradeTo}: reservation {ReservationId} is released and the call reserved again for the downgraded model.",
            model, downgradeTo, call.ReservationId);
        await call.ReleaseUnusedAsync();
        var downgraded = CallPlan.Downgraded(messages, chatOptions, downgradeTo, _options);
        return new ReservedCall(_budgets, _options, _logger, downgraded,
            await HoldAsync(downgraded, CallPlan.DowngradeKey(key, downgradeTo), cancellationToken), model, streaming);
    }

    /// <summary>Reserves what <paramref name="plan"/> estimates; a refusal is a <see cref="BudgetExceededException"/> (nothing is held).</summary>
    private async Task<BudgetReservation> HoldAsync(CallPlan plan, string? key, CancellationToken cancellationToken)
    {
        var request = new BudgetReservationRequest(_options.Tenant, plan.Attributes, plan.Estimate, _options.ReservationTtl, key, _options.Priority);
        var reservation = await _budgets.ReserveAsync(request, cancellationToken);
        if (!reservation.Granted || reservation.ReservationId is null)
        {
            throw new BudgetExceededException(_options.Tenant, reservation);
        }

        return reservation;
    }

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
