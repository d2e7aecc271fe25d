using System.Net;
using BudgetActors.Durability.Tests.Infrastructure;

namespace BudgetActors.Durability.Tests;

/// <summary>A reservation granted before every silo was killed still holds afterwards, and can be committed or released.</summary>
[Collection(DurableClusterCollection.Name)]
public sealed class ReservationSurvivesCrashTests(DurableClusterFixture fixture)
{
    [Fact]
    public async Task A_hold_granted_before_kill_9_of_every_silo_still_counts_and_can_be_committed_or_released_after()
    {
        var api = fixture.Cluster.Api;
        var tenant = await fixture.NewTenantAsync("holds");
        await tenant.PutBudgetAsync("gpu", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 10 } }""");
        var training = await ReserveAsync(tenant, "train-1", 6m);
        var evaluation = await ReserveAsync(tenant, "eval-1", 3m);

        await fixture.Cluster.CrashAndRestartAllSilosAsync();

        var status = await tenant.BudgetStatusAsync("gpu");
        Assert.Equal((0m, 9m), (Json.Decimal(status["cost"]!["spent"]), Json.Decimal(status["cost"]!["reserved"])));

        // 9 of 10 are held: 2 more do not fit.
        var refused = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReservationsPath, tenant.ServiceKey, TestTenant.ReserveBody("train-2", 2m));
        Assert.False(refused["granted"]!.GetValue<bool>(), $"A reservation past the limit was granted after the restart: {refused.ToJsonString()}");
        Assert.Equal(["gpu"], refused["blockedBy"]!.AsArray().Select(b => b!.GetValue<string>()));

        var commit = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CommitPath(training), tenant.ServiceKey, TestTenant.CommitBody(5.5m));
        Assert.Equal(5.5m, Json.Decimal(commit["charged"]!["cost"]));
        status = await tenant.BudgetStatusAsync("gpu");
        Assert.Equal((5.5m, 3m), (Json.Decimal(status["cost"]!["spent"]), Json.Decimal(status["cost"]!["reserved"])));

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReleasePath(evaluation), tenant.ServiceKey);
        status = await tenant.BudgetStatusAsync("gpu");
        Assert.Equal((5.5m, 0m), (Json.Decimal(status["cost"]!["spent"]), Json.Decimal(status["cost"]!["reserved"])));

        // The released room is free again: 4 fits next to the 5.5 spent.
        await ReserveAsync(tenant, "train-3", 4m);

        var rows = await tenant.LedgerRowsAsync();
        Assert.Equal(
            [(LedgerEntryKind.Hold, training), (LedgerEntryKind.Hold, evaluation), (LedgerEntryKind.Commit, training), (LedgerEntryKind.Release, evaluation), (LedgerEntryKind.Hold, rows[^1].ReservationId)],
            rows.Select(r => (r.Kind, r.ReservationId)));
        Assert.Equal(5.5m, rows.Single(r => r.Kind == LedgerEntryKind.Commit).Cost);
    }

    private async Task<string> ReserveAsync(TestTenant tenant, string key, decimal estimate)
    {
        var answer = await fixture.Cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReservationsPath, tenant.ServiceKey, TestTenant.ReserveBody(key, estimate));
        Assert.True(answer["granted"]!.GetValue<bool>(), $"Reservation {key} was refused: {answer.ToJsonString()}");
        return answer["reservationId"]!.GetValue<string>();
    }
}
