using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>A non-streaming call that fails or is cancelled: the hold is released and the caller sees the original exception.</summary>
public sealed class FailureAndCancellationTests
{
    [Fact]
    public async Task An_inner_failure_releases_the_reservation_and_propagates()
    {
        var p = new Pipeline();
        p.Model.FailBeforeChunk = 0;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => p.Client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Same(p.Model.Failure, thrown);
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.Commits);
        Assert.Equal((SettlementKind.Released, CallEnd.Failed), (p.SingleSettlement.Kind, p.SingleSettlement.End));
    }

    [Fact]
    public async Task A_cancelled_call_releases_the_reservation_even_though_the_callers_token_is_cancelled()
    {
        var p = new Pipeline();
        p.Model.HangBeforeChunk = 0;
        using var cancel = new CancellationTokenSource();

        var call = p.Client.GetResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token);
        await p.Model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(p.Budgets.Releases);
        Assert.Empty(p.Budgets.Commits);
    }

    [Fact]
    public async Task A_failing_release_does_not_hide_the_calls_own_exception()
    {
        var p = new Pipeline();
        p.Model.FailBeforeChunk = 0;
        var failingReleases = new ThrowingReleaseClient(p.Budgets);
        var client = new ChatClientBuilder(p.Model)
            .UseBudgets(failingReleases, Pipeline.Tenant, o => o.OnSettled = p.Settlements.Add)
            .Build();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Same(p.Model.Failure, thrown);
        Assert.Equal(SettlementKind.ReleaseFailed, p.SingleSettlement.Kind);
    }

    private sealed class ThrowingReleaseClient(IBudgetClient inner) : IBudgetClient
    {
        public Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default) =>
            inner.ReserveAsync(request, cancellationToken);

        public Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default) =>
            inner.CommitAsync(tenant, reservationId, actual, cancellationToken);

        public Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("connection refused");
    }
}
