using BudgetActors.Alerts;

namespace BudgetActors.Grains.Alerts;

/// <summary>Delivery outcomes go to the tenant's alerts grain, which shows them in the feed and the audit trail.</summary>
public sealed class GrainOutcomeSink(IGrainFactory grains) : IDeliveryOutcomeSink
{
    public Task ReportAsync(DeliveryOutcome outcome, CancellationToken cancellationToken) =>
        grains.GetGrain<IAlertsGrain>(outcome.Request.Tenant).ReportDelivery(outcome);
}
