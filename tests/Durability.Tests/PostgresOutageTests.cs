using System.Net;
using BudgetActors.Durability.Tests.Infrastructure;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// PostgreSQL stops (scripts/postgres.sh pause) under a running cluster: writes must not be
/// acknowledged (503 problem+json, retry with the same key), checks keep answering from memory, and
/// once the database is back the retried writes succeed and count once.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class PostgresOutageTests(DurableClusterFixture fixture)
{
    [Fact]
    public async Task While_PostgreSQL_is_down_writes_answer_503_checks_answer_200_and_retried_writes_count_once_when_it_is_back()
    {
        var cluster = fixture.Cluster;
        var api = cluster.Api;
        var tenant = await fixture.NewTenantAsync("outage");
        await tenant.PutBudgetAsync("ops", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 100 } }""");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody("before", 1m));
        var held = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReservationsPath, tenant.ServiceKey, TestTenant.ReserveBody("held", 5m)))
            ["reservationId"]!.GetValue<string>();
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CheckPath, tenant.ServiceKey, TestTenant.CheckBody(1m));

        var usage = (Path: tenant.UsagePath, Body: TestTenant.UsageBody("during", 2m));
        var reserve = (Path: tenant.ReservationsPath, Body: TestTenant.ReserveBody("during", 3m));
        var commit = (Path: tenant.CommitPath(held), Body: TestTenant.CommitBody(4m));

        await cluster.Postgres.PauseAsync();
        try
        {
            foreach (var (path, body) in new[] { usage, reserve, commit })
            {
                var refused = await api.PostAsync(path, tenant.ServiceKey, body);
                Assert.True(refused.Status == HttpStatusCode.ServiceUnavailable, $"POST {path} with PostgreSQL down: {refused}{Environment.NewLine}{cluster.Diagnostics()}");
                Assert.Equal("application/problem+json", refused.ContentType);
                Assert.Equal(503, refused.Json["status"]!.GetValue<int>());
                Assert.Contains("retry with the same idempotency key", refused.Json["detail"]!.GetValue<string>());
            }

            var check = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CheckPath, tenant.ServiceKey, TestTenant.CheckBody(1m));
            Assert.Equal("allow", check["decision"]!.GetValue<string>());
            var ops = check["budgets"]!.AsArray().Single()!;
            Assert.Equal((1m, 5m), (Json.Decimal(ops["cost"]!["spent"]), Json.Decimal(ops["cost"]!["reserved"])));
        }
        finally
        {
            await cluster.Postgres.ResumeAsync();
        }

        // The same requests again, as a worker retries them: each is acknowledged once the database is back.
        var client = new Acknowledged(api, new RetryTally());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var recorded = await client.PostAsync(usage.Path, tenant.ServiceKey, usage.Body, deadline);
        Assert.True(recorded.Status == HttpStatusCode.OK, recorded.ToString());
        Assert.Equal(2m, Json.Decimal(recorded.Json["charged"]!["cost"]));
        var reserved = await client.PostAsync(reserve.Path, tenant.ServiceKey, reserve.Body, deadline);
        Assert.True(reserved.Status == HttpStatusCode.OK && reserved.Json["granted"]!.GetValue<bool>(), reserved.ToString());
        var committed = await client.PostAsync(commit.Path, tenant.ServiceKey, commit.Body, deadline);
        Assert.True(committed.Status == HttpStatusCode.OK, committed.ToString());
        Assert.Equal(4m, Json.Decimal(committed.Json["charged"]!["cost"]));

        var rows = await tenant.LedgerRowsAsync();
        Assert.Equal(
            [(LedgerEntryKind.Usage, 1m), (LedgerEntryKind.Hold, 5m), (LedgerEntryKind.Usage, 2m), (LedgerEntryKind.Hold, 3m), (LedgerEntryKind.Commit, 4m)],
            rows.Select(r => (r.Kind, r.Cost)));
        var status = await tenant.BudgetStatusAsync("ops");
        Assert.Equal((7m, 3m), (Json.Decimal(status["cost"]!["spent"]), Json.Decimal(status["cost"]!["reserved"])));
    }

    [Fact]
    public async Task Tenant_changes_that_answered_503_are_undone_and_a_later_write_does_not_store_them()
    {
        var cluster = fixture.Cluster;
        var api = cluster.Api;
        var existing = await fixture.NewTenantAsync("revoke");
        var id = $"late-{Guid.NewGuid():N}"[..20];
        var create = $$"""{ "id": "{{id}}", "name": "Late", "currency": "USD", "timezone": "UTC" }""";
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/tenants/{id}", cluster.AdminKey); // its grain is active now

        await cluster.Postgres.PauseAsync();
        try
        {
            var created = await api.PostAsync("/v1/tenants", cluster.AdminKey, create);
            Assert.True(created.Status == HttpStatusCode.ServiceUnavailable, $"Creating a tenant with PostgreSQL down: {created}");
            var revoked = await api.SendAsync(HttpMethod.Delete, $"/v1/tenants/{existing.Id}/keys/{existing.ServiceKeyId}", cluster.AdminKey);
            Assert.True(revoked.Status == HttpStatusCode.ServiceUnavailable, $"Revoking a key with PostgreSQL down: {revoked}");

            // "A refused request changes nothing": the tenant must not appear to exist.
            var read = await api.GetAsync($"/v1/tenants/{id}", cluster.AdminKey);
            Assert.True(read.Status != HttpStatusCode.OK, $"The tenant whose creation answered 503 is served: {read}");
        }
        finally
        {
            await cluster.Postgres.ResumeAsync();
        }

        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/tenants/{id}", cluster.AdminKey);
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/tenants", cluster.AdminKey, create);

        // A later change of the same tenant is written (and every cache drops its copy): the key
        // whose revocation answered 503 must still work.
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/v1/tenants/{existing.Id}/keys", cluster.AdminKey,
            """{ "role": "service", "name": "second" }""");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, existing.CheckPath, existing.ServiceKey, TestTenant.CheckBody(1m));
    }
}
