using BudgetActors.Alerts.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BudgetActors.Alerts.Tests;

public sealed class RetryScheduleTests
{
    [Fact]
    public void The_default_schedule_is_at_least_five_tries_over_at_least_ten_minutes()
    {
        var options = new DeliveryOptions();
        var schedule = new RetrySchedule(options, () => 0);
        var delays = Enumerable.Range(1, options.MaxAttempts - 1).Select(schedule.NominalDelayAfter).ToList();

        Assert.Equal([30, 60, 120, 240, 480], delays.Select(d => d.TotalSeconds));
        Assert.True(options.MaxAttempts >= 5);
        Assert.True(delays.Aggregate(TimeSpan.Zero, (a, b) => a + b) >= TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Jitter_only_lengthens_a_delay_by_at_most_its_share_and_the_cap_holds()
    {
        var options = new DeliveryOptions { Jitter = 0.2, MaxRetryDelay = TimeSpan.FromMinutes(5) };
        Assert.Equal(TimeSpan.FromSeconds(30), new RetrySchedule(options, () => 0).DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(36), new RetrySchedule(options, () => 1).DelayAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(5), new RetrySchedule(options, () => 0).DelayAfter(20));
        Assert.Equal(TimeSpan.FromMinutes(5), new RetrySchedule(options, () => 0).DelayAfter(1000));

        var random = new RetrySchedule(options);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.InRange(random.DelayAfter(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(72)));
    }

    /// <summary>
    /// The worker on a fake clock with the default schedule (no jitter): each retry comes due exactly
    /// its backoff after the previous attempt, not a moment before, and the sixth failure gives up.
    /// </summary>
    [Fact]
    public async Task The_worker_retries_on_the_schedule_of_its_clock_and_gives_up_after_the_last_try()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var sender = new FailingSender();
        await using var harness = await DeliveryHarness.StartAsync(
            new Dictionary<string, string>
            {
                ["Delivery:MaxAttempts"] = "6",
                ["Delivery:FirstRetryDelay"] = "00:00:30",
                ["Delivery:MaxRetryDelay"] = "01:00:00",
                ["Delivery:Jitter"] = "0",
                ["Delivery:PollInterval"] = "00:00:01",
                ["Delivery:LeaseDuration"] = "00:01:00",
            },
            time: time,
            configure: services => services.AddSingleton<IAlertSender>(sender));
        harness.Channels.Add("acme", AlertChannel.Webhook("h", "https://hooks.example.com/x", ChannelSecrets.Generate()));
        var request = DeliveryRequest.For(Notices.Threshold(), "h");
        var start = time.GetUtcNow();

        await harness.Outbox.EnqueueAsync([request]);
        await Eventually.HoldsAsync(() => sender.Attempts.Count == 1, TimeSpan.FromSeconds(5), "the first try, at once");

        foreach (var (wait, attempt) in new[] { (30, 2), (60, 3), (120, 4), (240, 5), (480, 6) })
        {
            // A second early: not yet (the worker polls every fake second).
            await AdvanceAsync(time, TimeSpan.FromSeconds(wait - 1));
            await Task.Delay(50);
            Assert.Equal(attempt - 1, sender.Attempts.Count);

            await AdvanceAsync(time, TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => sender.Attempts.Count == attempt, TimeSpan.FromSeconds(5), $"try {attempt} after {wait} s");
        }

        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);
        Assert.Equal(6, failed.Attempts);
        Assert.Equal([1, 2, 3, 4, 5, 6], sender.Attempts.Select(a => a.Attempt));
        Assert.Equal(TimeSpan.FromSeconds(930), sender.Attempts[^1].At - start);

        var pending = harness.Sink.Of(request.MessageId).Where(o => o.Status == DeliveryStatus.Pending).ToList();
        Assert.Equal([30, 60, 120, 240, 480], pending.Select(o => (o.NextAttemptAt!.Value - o.At).TotalSeconds));

        // Nothing more, however long we wait.
        await AdvanceAsync(time, TimeSpan.FromHours(2));
        await Task.Delay(50);
        Assert.Equal(6, sender.Attempts.Count);
    }

    /// <summary>Advances the clock a second at a time, so that each poll of the worker sees every second pass.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan by)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
    }

    private sealed class FailingSender : IAlertSender
    {
        private readonly List<DeliveryAttempt> _attempts = [];

        public AlertChannelType Type => AlertChannelType.Webhook;

        public IReadOnlyList<DeliveryAttempt> Attempts
        {
            get
            {
                lock (_attempts)
                {
                    return [.. _attempts];
                }
            }
        }

        public Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken)
        {
            lock (_attempts)
            {
                _attempts.Add(attempt);
            }

            return Task.FromResult(SendResult.Failure("HTTP 502 Bad Gateway"));
        }
    }
}
