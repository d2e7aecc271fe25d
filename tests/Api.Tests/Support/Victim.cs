using System.Net;

namespace BudgetActors.Api.Tests.Support;

/// <summary>
/// A tenant with a budget, a held reservation and a spare key: the target of requests that must be
/// refused. <see cref="AssertUntouchedAsync"/> proves afterwards that the refusals changed nothing.
/// </summary>
public sealed class Victim
{
    public const string BudgetId = "guarded";

    private Victim(TestTenant tenant, string reservationId, string keyId, string key, BudgetUse use)
    {
        Tenant = tenant;
        ReservationId = reservationId;
        KeyId = keyId;
        Key = key;
        Use = use;
    }

    public TestTenant Tenant { get; }

    public string ReservationId { get; }

    public string KeyId { get; }

    public string Key { get; }

    public BudgetUse Use { get; }

    public IReadOnlyList<EndpointCall> Endpoints => EndpointCatalog.For(Tenant.Id, BudgetId, ReservationId, KeyId);

    public static async Task<Victim> CreateAsync(ApiClient api, TestTenant tenant)
    {
        await tenant.CreateCostBudgetAsync(BudgetId, 100m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "before", "attributes": { "user": "alice" }, "actual": { "cost": 1.5 } }""");
        var reservationId = (await tenant.ReserveAsync("""{ "estimate": { "cost": 2.25 } }""")).Str("reservationId");
        var issued = (await api.PostAsync(tenant.Path("/keys"), tenant.TenantAdminKey, """{ "role": "service", "name": "spare" }"""))
            .Expect(HttpStatusCode.Created);
        return new Victim(tenant, reservationId, issued.Str("id"), issued.Str("key"), await tenant.UseOfAsync(BudgetId));
    }

    /// <summary>The budget, its spend and holds, the reservation and the spare key are all as they were.</summary>
    public async Task AssertUntouchedAsync(ApiClient api)
    {
        var budget = await Tenant.GetBudgetAsync(BudgetId);
        Xunit.Assert.Equal(100m, budget.Dec("limits.cost"));
        Xunit.Assert.Equal("monthly", budget.Str("period.type"));
        Xunit.Assert.Equal(Use, BudgetUse.Of(budget.At("status")));
        (await api.GetAsync(Tenant.Path(), Key)).ExpectStatus(HttpStatusCode.OK);
        var list = (await api.GetAsync(Tenant.Path("/budgets"), Tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Xunit.Assert.Equal([BudgetId], list.Items("items").Select(i => i.Str("id")));
    }
}
