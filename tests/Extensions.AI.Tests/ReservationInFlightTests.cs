using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>
/// The reservation request is in flight when the caller gives up, or its answer is lost: the service may
/// have granted the hold all the same. No hold may outlive the call, so before the caller's exception
/// comes back the middleware has found that hold (its answer, else the same idempotency key) and released it.
/// </summary>
public sealed class ReservationInFlightTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // no key to find it by: the answer itself is waited for
    public async Task A_call_cancelled_while_its_reservation_is_in_flight_releases_the_grant_that_arrives_after(bool withKey)
    {
        var p = new Pipeline(o =>
        {
            if (!withKey)
            {
                o.IdempotencyKeyFactory = (_, _) => null;
            }
        });
        var (sent, answer) = HoldAnswers(p);
        using var cancel = new CancellationTokenSource();

        var call = p.Client.GetResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token);
        await sent.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        answer.TrySetResult(); // the grant comes back after the caller gave up

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.OpenHolds);
        Assert.Empty(p.Model.Calls);
        Assert.Equal((SettlementKind.Released, CallEnd.Failed, "res-1"), (p.SingleSettlement.Kind, p.SingleSettlement.End, p.SingleSettlement.ReservationId));
    }

    [Fact]
    public async Task A_stream_cancelled_while_its_reservation_is_in_flight_releases_the_grant()
    {
        var p = new Pipeline();
        var (sent, answer) = HoldAnswers(p);
        using var cancel = new CancellationTokenSource();

        var reading = Task.Run(() => p.ReadAllAsync(cancellationToken: cancel.Token));
        await sent.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        answer.TrySetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.OpenHolds);
        Assert.Empty(p.Model.Calls);
    }

    [Fact]
    public async Task When_the_answer_is_lost_after_a_cancellation_the_hold_is_found_by_its_idempotency_key_and_released()
    {
        var p = new Pipeline();
        var (sent, answer) = HoldAnswers(p);
        using var cancel = new CancellationTokenSource();

        var call = p.Client.GetResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token);
        await sent.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        answer.TrySetException(new HttpRequestException("connection reset")); // granted, but the answer never arrives

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var asked = p.Budgets.Reservations;
        Assert.Equal(2, asked.Count);
        Assert.Equal(asked[0], asked[1]); // the same request again, same key: the service answers with the same reservation
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.OpenHolds);
    }

    [Fact]
    public async Task An_answer_that_never_comes_is_waited_for_at_most_the_settlement_timeout()
    {
        var p = new Pipeline(o => o.SettlementTimeout = TimeSpan.FromMilliseconds(300));
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.Budgets.InFlight = async (_, token) =>
        {
            sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, token); // only the token ends it
        };
        using var cancel = new CancellationTokenSource();

        var call = p.Client.GetResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token);
        await sent.Task.WaitAsync(Patience);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));
        Assert.Equal(2, p.Budgets.Reservations.Count);
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.OpenHolds);
    }

    [Fact]
    public async Task A_reservation_that_fails_in_transit_is_released_by_its_key_and_the_failure_propagates()
    {
        var p = new Pipeline();
        var lost = new HttpRequestException("the response ended prematurely");
        p.Budgets.InFlight = (_, _) => Task.FromException(lost);

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => p.Client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Same(lost, thrown);
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.OpenHolds);
        Assert.Empty(p.Model.Calls);
    }

    [Fact]
    public async Task A_reservation_the_service_refused_as_a_problem_is_not_asked_again()
    {
        var p = new Pipeline();
        p.Budgets.InFlight = (_, _) => Task.FromException(new BudgetApiException(403, "Forbidden", "the key belongs to another tenant"));

        await Assert.ThrowsAsync<BudgetApiException>(() => p.Client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Single(p.Budgets.Reservations); // a 4xx problem changed nothing on the service: there is nothing to find
        Assert.Empty(p.Budgets.Releases);
    }

    [Fact]
    public async Task A_call_whose_token_is_already_cancelled_reserves_nothing()
    {
        var p = new Pipeline();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => p.Client.GetResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token));

        Assert.Empty(p.Budgets.Reservations);
        Assert.Empty(p.Model.Calls);
    }

    [Fact]
    public async Task A_caller_cancelling_during_the_commit_does_not_cancel_it()
    {
        var p = new Pipeline();
        var gated = new GatedCommits(p.Budgets);
        var client = new ChatClientBuilder(p.Model).UseBudgets(gated, Pipeline.Tenant).Build();
        using var cancel = new CancellationTokenSource();

        var call = client.GetResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token);
        var commitToken = await gated.Committing.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        gated.Proceed.TrySetResult();
        var response = await call;

        Assert.False(commitToken.IsCancellationRequested, "the commit runs on the middleware's own token");
        Assert.Equal(p.Model.FullText, response.Text);
        Assert.Single(p.Budgets.Commits);
        Assert.Empty(p.Budgets.OpenHolds);
    }

    [Fact]
    public async Task A_release_that_fails_once_is_retried()
    {
        var p = new Pipeline();
        p.Model.FailBeforeChunk = 0;
        p.Budgets.FailingReleases = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => p.Client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Equal(2, p.Budgets.ReleaseAttempts);
        Assert.Empty(p.Budgets.OpenHolds);
        Assert.Equal(SettlementKind.Released, p.SingleSettlement.Kind);
    }

    /// <summary>Holds back the answer of the first reservation: <c>sent</c> when it was granted, <c>answer</c> lets it through (or fails it).</summary>
    private static (TaskCompletionSource Sent, TaskCompletionSource Answer) HoldAnswers(Pipeline p)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.Budgets.InFlight = async (_, token) =>
        {
            sent.TrySetResult();
            await answer.Task.WaitAsync(token); // as an HTTP request does: the caller's token stops the wait, not the service
        };
        return (sent, answer);
    }

    /// <summary>Lets a commit start, reports its token, and holds it until the test says.</summary>
    private sealed class GatedCommits(IBudgetClient inner) : IBudgetClient
    {
        public TaskCompletionSource<CancellationToken> Committing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Proceed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default) =>
            inner.ReserveAsync(request, cancellationToken);

        public async Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default)
        {
            Committing.TrySetResult(cancellationToken);
            await Proceed.Task;
            return await inner.CommitAsync(tenant, reservationId, actual, cancellationToken);
        }

        public Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default) =>
            inner.ReleaseAsync(tenant, reservationId, cancellationToken);
    }
}
