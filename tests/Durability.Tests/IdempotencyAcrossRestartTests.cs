using System.Net;
using BudgetActors.Durability.Tests.Infrastructure;

namespace BudgetActors.Durability.Tests;

/// <summary>An idempotency key outlives every process: after all silos are killed, a retry still finds the first usage.</summary>
[Collection(DurableClusterCollection.Name)]
public sealed class IdempotencyAcrossRestartTests(DurableClusterFixture fixture)
{
    [Fact]
    public async Task A_usage_retried_after_every_silo_was_killed_counts_once_and_a_different_body_conflicts()
    {
        var cluster = fixture.Cluster;
        var tenant = await fixture.NewTenantAsync("idempotency");
        await tenant.PutBudgetAsync("all", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 100 } }""");
        var body = TestTenant.UsageBody("job-42", 1.234567m);

        var first = await cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, body);
        Assert.False(first["duplicate"]!.GetValue<bool>());

        await cluster.CrashAndRestartAllSilosAsync();

        var retry = await cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, body);
        Assert.True(retry["duplicate"]!.GetValue<bool>(), $"The retry after the restart was counted again: {retry}");
        Assert.Equal(1.234567m, Json.Decimal(retry["charged"]!["cost"]));

        var conflict = await cluster.Api.PostAsync(tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody("job-42", 2m));
        Assert.True(conflict.Status == HttpStatusCode.Conflict, $"Same key, different body: {conflict}");
        Assert.Equal("application/problem+json", conflict.ContentType);

        var usage = Assert.Single(await tenant.LedgerRowsAsync());
        Assert.Equal((LedgerEntryKind.Usage, 1.234567m), (usage.Kind, usage.Cost));
        var status = await tenant.BudgetStatusAsync("all");
        Assert.Equal(1.234567m, Json.Decimal(status["cost"]!["spent"]));
        Assert.Equal(1L, status["operations"]!["spent"]!.GetValue<long>());
    }
}
