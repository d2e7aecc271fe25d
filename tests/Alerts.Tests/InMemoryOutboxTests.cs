namespace BudgetActors.Alerts.Tests;

public sealed class InMemoryOutboxTests : OutboxBehaviourTests
{
    private readonly InMemoryAlertOutbox outbox = new();

    protected override IAlertOutbox Outbox => outbox;

    protected override IDeliveryStore Store => outbox;
}
