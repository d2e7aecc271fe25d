using BudgetActors.ApiHost.Cluster;
using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BudgetActors.Api.Tests;

/// <summary>
/// The API host's retries of idempotent requests when a silo or gateway was lost (the failover
/// behaviour end to end, with real processes killed, is SiloCrashFailoverTests in Durability.Tests).
/// </summary>
public sealed class ClusterRetryTests
{
    private readonly GatewayLoss _gateways = new(NullLogger<GatewayLoss>.Instance);

    private ClusterRetry Retry(TimeSpan window, TimeSpan? attemptTimeout = null) =>
        new(_gateways, Options.Create(new ClusterSettings { RetryWindow = window, RetryAttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(4) }),
            NullLogger<ClusterRetry>.Instance);

    [Fact]
    public async Task An_idempotent_operation_lost_with_a_silo_is_sent_again_until_it_is_answered()
    {
        var attempts = 0;
        var answer = await Retry(TimeSpan.FromSeconds(8)).RunAsync(() => ++attempts < 3
            ? Task.FromException<int>(new SiloUnavailableException("gone"))
            : Task.FromResult(42), idempotent: true);

        Assert.Equal((42, 3), (answer, attempts));
    }

    [Fact]
    public async Task An_operation_that_may_not_run_twice_is_sent_once()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Retry(TimeSpan.FromSeconds(8)).RunAsync(() =>
        {
            attempts++;
            return Task.FromException<int>(new SiloUnavailableException("gone"));
        }, idempotent: false));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_failure_of_its_own_is_answered_at_once()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<BudgetActorsException>(() => Retry(TimeSpan.FromSeconds(8)).RunAsync(() =>
        {
            attempts++;
            return Task.FromException<int>(BudgetActorsException.TenantNotFound("t"));
        }, idempotent: true));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task After_the_window_the_last_loss_is_answered()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Retry(TimeSpan.FromMilliseconds(300)).RunAsync(() =>
        {
            attempts++;
            return Task.FromException<int>(new SiloUnavailableException("gone"));
        }, idempotent: true));

        Assert.InRange(attempts, 2, 5); // 50, 100, 200 ms between attempts
    }

    [Fact]
    public async Task A_lost_gateway_gives_up_the_attempts_under_way_and_sends_them_again()
    {
        var first = new TaskCompletionSource<int>(); // never answered: its gateway died with it
        var attempts = 0;
        var running = Retry(TimeSpan.FromSeconds(8)).RunAsync(() => ++attempts == 1 ? first.Task : Task.FromResult(7), idempotent: true);
        await Task.Delay(50);
        Assert.False(running.IsCompleted);

        _gateways.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);

        Assert.Equal(7, await running.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Right_after_a_loss_an_attempt_that_does_not_answer_is_sent_again_after_the_attempt_timeout()
    {
        var retry = Retry(TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(200));
        _gateways.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        var attempts = 0;

        var answer = await retry.RunAsync(() => ++attempts == 1 ? new TaskCompletionSource<int>().Task : Task.FromResult(9), idempotent: true)
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((9, 2), (answer, attempts));
    }
}
