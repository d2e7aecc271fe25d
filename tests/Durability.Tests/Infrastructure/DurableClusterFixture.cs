using System.Net;
using System.Security.Cryptography;

namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>
/// Every test class joins this collection: one PostgreSQL server and one cluster for the whole run,
/// and the classes run one after another (they kill silos and pause the database). Each test
/// leaves the cluster serving, and each works in tenants of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DurableClusterCollection : ICollectionFixture<DurableClusterFixture>
{
    public const string Name = "durable cluster";
}

public sealed class DurableClusterFixture : IAsyncLifetime
{
    private DurableCluster? cluster;

    public DurableCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync() => cluster = await DurableCluster.StartAsync();

    /// <summary>A new tenant (id <c>{label}-{random}</c>, UTC) with a service key.</summary>
    public async Task<TestTenant> NewTenantAsync(string label)
    {
        var api = Cluster.Api;
        var id = $"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/tenants", Cluster.AdminKey,
            $$"""{ "id": "{{id}}", "name": "{{label}}", "currency": "USD", "timezone": "UTC" }""");
        var key = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/v1/tenants/{id}/keys", Cluster.AdminKey,
            """{ "role": "service", "name": "worker" }""");
        return new TestTenant(Cluster, id, key["id"]!.GetValue<string>(), key["key"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
