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
    public Task<TestTenant> NewTenantAsync(string label) =>
        CreateTenantAsync($"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}", label);

    /// <summary>A new tenant with exactly the id given (UTC) and a service key; the id must be new to the cluster.</summary>
    public async Task<TestTenant> CreateTenantAsync(string id, string name)
    {
        var api = Cluster.Api;
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/tenants", Cluster.AdminKey,
            $$"""{ "id": "{{id}}", "name": "{{name}}", "currency": "USD", "timezone": "UTC" }""");
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
