namespace BudgetActors.Alerts;

/// <summary>
/// Implemented by the host: hears every attempt's outcome (for the alert feed's deliveries, the
/// events <c>alert.delivered</c> / <c>alert.failed</c>, metrics). Called before the outcome is
/// recorded in the outbox, so a crash between the two repeats the attempt and its report rather
/// than losing the report: an outcome may be reported more than once, and reports of one delivery
/// may arrive out of order across silos — keep the one with the most attempts (a delivered or
/// failed outcome is final). An exception is logged and does not change the delivery.
/// </summary>
public interface IDeliveryOutcomeSink
{
    Task ReportAsync(DeliveryOutcome outcome, CancellationToken cancellationToken);
}
