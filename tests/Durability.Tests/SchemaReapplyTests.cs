using System.Net;
using BudgetActors.Durability.Tests.Infrastructure;

namespace BudgetActors.Durability.Tests;

/// <summary>scripts/sql/apply.sh is safe to run again on a live database: the cluster keeps working on it.</summary>
[Collection(DurableClusterCollection.Name)]
public sealed class SchemaReapplyTests(DurableClusterFixture fixture)
{
    [Fact]
    public async Task Applying_the_schema_twice_under_a_running_cluster_keeps_spend_admission_and_membership_working()
    {
        var cluster = fixture.Cluster;
        var api = cluster.Api;
        var tenant = await fixture.NewTenantAsync("schema");
        await tenant.PutBudgetAsync("all", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 10 } }""");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody("before", 1m));

        await cluster.Postgres.ApplySchemaAsync();
        await cluster.Postgres.ApplySchemaAsync();

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody("after", 2m));
        var reservation = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReservationsPath, tenant.ServiceKey, TestTenant.ReserveBody("after", 3m));
        Assert.True(reservation["granted"]!.GetValue<bool>(), reservation.ToJsonString());

        // A silo joining now goes through the re-applied membership, storage and reminder queries.
        await cluster.KillSiloAsync(0);
        await cluster.RestartSiloAsync(0);
        await cluster.WaitUntilServingAsync();
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CommitPath(reservation["reservationId"]!.GetValue<string>()), tenant.ServiceKey,
            TestTenant.CommitBody(3m));

        Assert.Equal([1m, 2m, 3m, 3m], (await tenant.LedgerRowsAsync()).Select(r => r.Cost));
        var status = await tenant.BudgetStatusAsync("all");
        Assert.Equal((6m, 0m), (Json.Decimal(status["cost"]!["spent"]), Json.Decimal(status["cost"]!["reserved"])));
    }
}
