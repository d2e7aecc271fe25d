using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using BudgetActors.Durability.Tests.Infrastructure;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// Two silos, one HTTP front: over a thousand reservations sent at once never take a hard budget
/// past its limit, and none is refused while there was room (no phantom refusals) — the grains of
/// one reservation and of its budgets are spread over both silos.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class NoOverspendTests(DurableClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Of_1000_concurrent_reservations_on_a_small_hard_budget_exactly_what_fits_is_granted()
    {
        var tenant = await fixture.NewTenantAsync("contention");
        await tenant.PutBudgetAsync("small", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 40 } }""");

        var answers = await ReserveAllAsync(tenant, Enumerable.Range(0, 1000).Select(i => ($"burst-{i}", "{}")).ToList());

        var granted = answers.Where(a => a.Granted).ToList();
        Assert.Equal(40, granted.Count);
        Assert.All(answers.Where(a => !a.Granted), a => Assert.Equal(["small"], a.BlockedBy));
        var status = await tenant.BudgetStatusAsync("small");
        Assert.Equal((40m, 0m), (Json.Decimal(status["cost"]!["reserved"]), Json.Decimal(status["cost"]!["spent"])));
        var holds = (await tenant.LedgerRowsAsync()).Where(r => r.Kind == LedgerEntryKind.Hold).Select(r => r.ReservationId).Order().ToList();
        Assert.Equal(granted.Select(a => a.ReservationId).Order(), holds);
    }

    [Fact]
    public async Task Of_1200_concurrent_reservations_on_overlapping_hard_budgets_each_budget_fills_exactly_and_no_refusal_had_room()
    {
        var tenant = await fixture.NewTenantAsync("overlap");
        var limits = new Dictionary<string, decimal> { ["alice"] = 25, ["gpt"] = 20, ["atlas"] = 30, ["all"] = 100_000 };
        await tenant.PutBudgetAsync("alice", """{ "scope": { "user": "alice" }, "period": { "type": "total" }, "limits": { "cost": 25 } }""");
        await tenant.PutBudgetAsync("gpt", """{ "scope": { "model": "gpt-4o" }, "period": { "type": "total" }, "limits": { "cost": 20 } }""");
        await tenant.PutBudgetAsync("atlas", """{ "scope": { "project": "atlas" }, "period": { "type": "total" }, "limits": { "cost": 30 } }""");
        await tenant.PutBudgetAsync("all", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 100000 } }""");

        // Every combination of user, model and project, so that each limited budget is also reached
        // by requests that no other limited budget applies to: each must end exactly full.
        var requests = Enumerable.Range(0, 1200).Select(i =>
        {
            var (user, model, project) = (i % 2 == 0 ? "alice" : "bob", i / 2 % 2 == 0 ? "gpt-4o" : "o3", i / 4 % 2 == 0 ? "atlas" : "zephyr");
            return ($"mix-{i}", $$"""{ "user": "{{user}}", "model": "{{model}}", "project": "{{project}}" }""");
        }).ToList();
        var answers = await ReserveAllAsync(tenant, requests);

        var reserved = new Dictionary<string, decimal>();
        foreach (var budget in limits.Keys)
        {
            reserved[budget] = Json.Decimal((await tenant.BudgetStatusAsync(budget))["cost"]!["reserved"]);
        }

        var granted = answers.Where(a => a.Granted).ToList();
        foreach (var (budget, limit) in limits.Where(l => l.Key != "all"))
        {
            Assert.True(reserved[budget] == limit, $"Budget {budget} holds {reserved[budget]} of {limit}.");
            Assert.Equal(limit, granted.Count(a => Applicable(a.Attributes).Contains(budget)));
        }

        Assert.Equal(granted.Count, reserved["all"]); // a granted reservation holds on every applicable budget
        foreach (var refusal in answers.Where(a => !a.Granted))
        {
            var full = Applicable(refusal.Attributes).Where(b => reserved[b] + 1 > limits[b]).ToList();
            Assert.True(full.Count > 0, $"{refusal.Key} ({refusal.Attributes}) was refused though every budget it needs had room.");
            Assert.True(refusal.BlockedBy.Intersect(full).Any(), $"{refusal.Key} names {string.Join(", ", refusal.BlockedBy)} as blocking, but the full ones are {string.Join(", ", full)}.");
        }

        // All or nothing in the ledger too: one hold per granted reservation, on exactly its budgets.
        var holds = (await tenant.LedgerRowsAsync()).Where(r => r.Kind == LedgerEntryKind.Hold).ToDictionary(r => r.ReservationId!);
        Assert.Equal(granted.Count, holds.Count);
        Assert.All(granted, a => Assert.Equal(Applicable(a.Attributes).Order(), holds[a.ReservationId!].BudgetIds.Order()));
    }

    private static HashSet<string> Applicable(string attributes)
    {
        var json = JsonNode.Parse(attributes)!;
        var budgets = new HashSet<string> { "all" };
        if (json["user"]?.GetValue<string>() == "alice") budgets.Add("alice");
        if (json["model"]?.GetValue<string>() == "gpt-4o") budgets.Add("gpt");
        if (json["project"]?.GetValue<string>() == "atlas") budgets.Add("atlas");
        return budgets;
    }

    /// <summary>Sends every reservation at once (cost 1 each); a 5xx or network error is retried with the same key.</summary>
    private async Task<List<Reservation>> ReserveAllAsync(TestTenant tenant, List<(string Key, string Attributes)> requests)
    {
        var client = new Acknowledged(fixture.Cluster.Api, new RetryTally());
        var deadline = DateTime.UtcNow + Deadline;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = new ConcurrentBag<Reservation>();
        var sending = requests.Select(async request =>
        {
            await start.Task;
            var answer = await client.PostAsync(tenant.ReservationsPath, tenant.ServiceKey, TestTenant.ReserveBody(request.Key, 1m, request.Attributes), deadline);
            Assert.True(answer.Status == HttpStatusCode.OK, $"Reservation {request.Key}: {answer}");
            var json = answer.Json;
            answers.Add(new Reservation(request.Key, request.Attributes, json["granted"]!.GetValue<bool>(), json["reservationId"]?.GetValue<string>(),
                [.. json["blockedBy"]!.AsArray().Select(b => b!.GetValue<string>())]));
        }).ToList();
        start.SetResult();
        await Task.WhenAll(sending);
        return [.. answers];
    }

    private sealed record Reservation(string Key, string Attributes, bool Granted, string? ReservationId, string[] BlockedBy);
}
