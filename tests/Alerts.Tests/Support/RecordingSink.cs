using System.Collections.Concurrent;

namespace BudgetActors.Alerts.Tests.Support;

/// <summary>The host's outcome sink, as a test sees it: every outcome, in the order reported.</summary>
public sealed class RecordingSink : IDeliveryOutcomeSink
{
    private readonly ConcurrentQueue<DeliveryOutcome> _outcomes = new();

    public IReadOnlyList<DeliveryOutcome> Outcomes => [.. _outcomes];

    public Task ReportAsync(DeliveryOutcome outcome, CancellationToken cancellationToken)
    {
        _outcomes.Enqueue(outcome);
        return Task.CompletedTask;
    }

    public IReadOnlyList<DeliveryOutcome> Of(string messageId) => [.. _outcomes.Where(o => o.Request.MessageId == messageId)];

    /// <summary>The first outcome of <paramref name="messageId"/> that is <paramref name="status"/>, waiting for it.</summary>
    public async Task<DeliveryOutcome> WaitForAsync(string messageId, DeliveryStatus status, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(15);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (Of(messageId).FirstOrDefault(o => o.Status == status) is { } outcome)
            {
                return outcome;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No {status} outcome for {messageId} within {limit.TotalSeconds:0.#} s; outcomes so far: "
                    + string.Join("; ", Outcomes.Select(o => $"{o.Request.MessageId} #{o.Attempts} {o.Status} {o.Error}")));
            }

            await Task.Delay(10);
        }
    }
}
