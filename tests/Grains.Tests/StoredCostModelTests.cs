using System.Collections.Immutable;
using BudgetActors.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Before issue 7, <c>PUT …/cost-model</c> stored <c>{"queues":{"etl":null}}</c>, and every job of queue
/// etl failed from then on. Such a model may still be in a deployment's storage: read back, a queue
/// without weights prices by the default, as any queue without weights of its own does.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoredCostModelTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_queue_stored_with_null_weights_prices_by_the_default_weights()
    {
        var id = "t-" + Guid.NewGuid().ToString("N");
        var tenant = fixture.Client.GetGrain<ITenantGrain>(id);
        var queues = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("etl", (JobCostWeights)null!)]);
        var state = new TenantState
        {
            Info = new TenantInfo(id, "Stored before the fix", "USD", "UTC", DateTimeOffset.UtcNow),
            CostModel = JobCostModel.Seed with { Queues = queues },
        };
        var storage = fixture.OnEachSilo<IServiceProvider>()[0].GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        await storage.WriteStateAsync("tenant", tenant.GetGrainId(), new GrainState<TenantState>(state));

        var usage = await fixture.Admission.RecordUsage(id,
            new UsageRequest("job-1", Attributes(("queue", "etl")), new JobUsage(10m, 0m, 0, 0, 0)));

        Assert.Equal(0.00024m, usage.Charged.Cost); // 10 CPU-seconds at the seed's 0.000024, plus its 0.0000002 base, rounded
        Assert.DoesNotContain("etl", (await tenant.GetDirectory(null))!.CostModel.Queues.Keys);
    }
}
