using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace BudgetActors.Cli.Tests;

/// <summary>budgetctl's commands against a real host: what they print (as JSON) and how they exit.</summary>
[Collection(CliHostCollection.Name)]
public sealed class CommandTests(CliHostFixture host) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("budgetctl-tests-").FullName;

    private Dictionary<string, string> As(string key) => new()
    {
        ["BUDGETACTORS_URL"] = host.Host.BaseAddress.ToString(),
        ["BUDGETACTORS_KEY"] = key,
    };

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private const string TwoBudgets = """
        budgets:
          - id: team-monthly
            scope: {}
            period: { type: monthly }
            limits: { cost: 100.50 }
          - id: alice-daily
            scope: { user: alice }
            period: { type: daily, timezone: Europe/Paris }
            limits: { cost: 10, tokens: 100000 }
            thresholds: { warn: 0.5, throttle: 0.8 }
            alerts: { thresholds: [0.5, 0.9] }
        """;

    [Fact]
    public async Task Apply_twice_creates_then_says_unchanged_and_changes_nothing()
    {
        var tenant = await host.NewTenantAsync("apply");
        var file = File("budgets.yaml", TwoBudgets);

        var first = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", file, "-o", "json");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["created", "created"], first.Json["items"]!.AsArray().Select(i => i!["result"]!.GetValue<string>()));

        var second = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", file, "-o", "json");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["unchanged", "unchanged"], second.Json["items"]!.AsArray().Select(i => i!["result"]!.GetValue<string>()));

        // The table says it too, and the audit trail shows that nothing was written the second time.
        var table = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", file);
        Assert.Equal(2, table.Stdout.Split("unchanged").Length - 1);
        var events = await host.GetAsync($"/v1/tenants/{tenant.Id}/events?type=budget.updated", tenant.TenantAdminKey);
        Assert.Empty(events!["items"]!.AsArray());
        var budget = await host.GetAsync($"/v1/tenants/{tenant.Id}/budgets/team-monthly", tenant.TenantAdminKey);
        Assert.Equal(100.50m, budget!["limits"]!["cost"]!.GetValue<decimal>());

        // One number changed in the file: only that budget is written, and the answer says what changed.
        var changed = File("changed.json", """
            [ { "id": "team-monthly", "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 120 } },
              { "id": "alice-daily", "scope": { "user": "alice" }, "period": { "type": "daily", "timezone": "Europe/Paris" },
                "limits": { "cost": 10, "tokens": 100000 }, "thresholds": { "warn": 0.5, "throttle": 0.8 }, "alerts": { "thresholds": [0.5, 0.9] } } ]
            """);
        var third = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", changed, "-o", "json");
        Assert.True(third.ExitCode == 0, third.ToString());
        var items = third.Json["items"]!.AsArray();
        Assert.Equal("updated", items[0]!["result"]!.GetValue<string>());
        Assert.Equal(["limits.cost"], items[0]!["changed"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("unchanged", items[1]!["result"]!.GetValue<string>());
        budget = await host.GetAsync($"/v1/tenants/{tenant.Id}/budgets/team-monthly", tenant.TenantAdminKey);
        Assert.Equal(120m, budget!["limits"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Ok_commands_exit_0_with_the_answer_as_json()
    {
        var tenant = await host.NewTenantAsync("ok");
        var apply = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", File("b.yaml", TwoBudgets));
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var usage = await Budgetctl.RunAsync(As(tenant.ServiceKey), "usage", "record", "-a", "user=alice", "--cost", "2.125", "--tokens", "300", "-o", "json");
        Assert.True(usage.ExitCode == 0, usage.ToString());
        Assert.Equal(2.125m, usage.Json["charged"]!["cost"]!.GetValue<decimal>());
        Assert.False(usage.Json["duplicate"]!.GetValue<bool>());

        var reserve = await Budgetctl.RunAsync(As(tenant.ServiceKey), "reserve", "-a", "user=alice", "--cost", "1", "-o", "json");
        Assert.True(reserve.ExitCode == 0, reserve.ToString());
        Assert.True(reserve.Json["granted"]!.GetValue<bool>());
        var commit = await Budgetctl.RunAsync(As(tenant.ServiceKey), "commit", reserve.Json["reservationId"]!.GetValue<string>(), "--cost", "0.5", "-o", "json");
        Assert.True(commit.ExitCode == 0, commit.ToString());
        Assert.Equal(0.5m, commit.Json["charged"]!["cost"]!.GetValue<decimal>());

        var list = await Budgetctl.RunAsync(As(tenant.ServiceKey), "budgets", "list", "-o", "json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var alice = list.Json["items"]!.AsArray().Single(b => b!["id"]!.GetValue<string>() == "alice-daily");
        Assert.Equal(2.625m, alice!["status"]!["cost"]!["spent"]!.GetValue<decimal>());

        // The spend is the service's, not the tool's idea of it.
        var direct = await host.GetAsync($"/v1/tenants/{tenant.Id}/budgets/alice-daily", tenant.ServiceKey);
        Assert.Equal(2.625m, direct!["status"]!["cost"]!["spent"]!.GetValue<decimal>());

        var get = await Budgetctl.RunAsync(As(tenant.ServiceKey), "budgets", "get", "alice-daily");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("2.625 / 10", get.Stdout);
    }

    [Fact]
    public async Task A_refusal_exits_1()
    {
        var tenant = await host.NewTenantAsync("refused");
        await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", File("b.yaml", TwoBudgets));

        var check = await Budgetctl.RunAsync(As(tenant.ServiceKey), "check", "-a", "user=alice", "--cost", "11", "-o", "json");
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Equal("block", check.Json["decision"]!.GetValue<string>());
        Assert.Equal(["alice-daily"], check.Json["blockedBy"]!.AsArray().Select(b => b!.GetValue<string>()));

        var reserve = await Budgetctl.RunAsync(As(tenant.ServiceKey), "reserve", "-a", "user=alice", "--cost", "11");
        Assert.True(reserve.ExitCode == 1, reserve.ToString());
        Assert.Contains("not granted", reserve.Stdout);
        Assert.Contains("passes the daily cost limit", reserve.Stdout);
    }

    [Fact]
    public async Task Tenants_update_sets_the_default_tier_the_service_knows_and_clears_it()
    {
        var tenant = await host.NewTenantAsync("default-tier");

        var unknown = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "tenants", "update", "--default-tier", "gold", "-o", "json");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("No tier 'gold'", unknown.Stderr);

        var nothing = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "tenants", "update");
        Assert.True(nothing.ExitCode == 2, nothing.ToString());
        Assert.Contains("Nothing to change", nothing.Stderr);

        var cleared = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "tenants", "update", "--no-default-tier", "-o", "json");
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Equal(tenant.Id, cleared.Json["id"]!.GetValue<string>());
        Assert.Null(cleared.Json["defaultTier"]);
    }

    [Fact]
    public async Task Bad_input_exits_2_with_the_problem_detail_and_field_errors()
    {
        var tenant = await host.NewTenantAsync("bad");
        await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", File("b.yaml", TwoBudgets));

        var negative = await Budgetctl.RunAsync(As(tenant.ServiceKey), "usage", "record", "-a", "user=alice", "--cost", "-1");
        Assert.True(negative.ExitCode == 2, negative.ToString());
        Assert.Contains("One or more fields are invalid", negative.Stderr);
        Assert.Contains("  actual.cost: ", negative.Stderr);

        var invalid = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f",
            File("bad.json", """{ "id": "x", "scope": {}, "period": { "type": "hourly" }, "limits": { "cost": 1 } }"""), "-o", "json");
        Assert.True(invalid.ExitCode == 2, invalid.ToString());
        Assert.Equal("failed", invalid.Json["items"]![0]!["result"]!.GetValue<string>());
        Assert.Contains("period.type", invalid.Stderr);

        // Found before asking the service: a file that is not YAML, an unknown option, an attribute without '='.
        var yaml = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", File("broken.yaml", "budgets: [ { id: a"));
        Assert.True(yaml.ExitCode == 2, yaml.ToString());
        Assert.Contains("not valid YAML", yaml.Stderr);
        var option = await Budgetctl.RunAsync(As(tenant.ServiceKey), "budgets", "list", "--colour");
        Assert.True(option.ExitCode == 2, option.ToString());
        var attribute = await Budgetctl.RunAsync(As(tenant.ServiceKey), "usage", "record", "-a", "alice", "--cost", "1");
        Assert.True(attribute.ExitCode == 2, attribute.ToString());
        Assert.Contains("not name=value", attribute.Stderr);

        var after = await host.GetAsync($"/v1/tenants/{tenant.Id}/budgets/alice-daily", tenant.ServiceKey);
        Assert.Equal(0m, after!["status"]!["cost"]!["spent"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Auth_failures_exit_3()
    {
        var tenant = await host.NewTenantAsync("auth");
        var unknown = await Budgetctl.RunAsync(As("bak.bm9wZQ.key-0.secret"), "budgets", "list", "--tenant", tenant.Id);
        Assert.True(unknown.ExitCode == 3, unknown.ToString());
        Assert.Contains("401", unknown.Stderr);

        // A service key may not write budgets: 403, and nothing is created.
        var forbidden = await Budgetctl.RunAsync(As(tenant.ServiceKey), "budgets", "apply", "-f", File("b.yaml", TwoBudgets));
        Assert.True(forbidden.ExitCode == 3, forbidden.ToString());
        Assert.Contains("403", forbidden.Stderr);
        var budgets = await host.GetAsync($"/v1/tenants/{tenant.Id}/budgets", tenant.TenantAdminKey);
        Assert.Empty(budgets!["items"]!.AsArray());
    }

    [Fact]
    public async Task An_unreachable_service_exits_4()
    {
        // A port that was just free and is closed again: connection refused.
        int port;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var run = await Budgetctl.RunAsync(new Dictionary<string, string> { ["BUDGETACTORS_URL"] = $"http://127.0.0.1:{port}", ["BUDGETACTORS_KEY"] = "k" },
            "budgets", "list", "--tenant", "t");
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("cannot reach", run.Stderr);
    }

    [Fact]
    public async Task Alerts_are_listed_and_acknowledged_and_overrides_approved()
    {
        var tenant = await host.NewTenantAsync("alerts");
        await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "budgets", "apply", "-f", File("b.yaml", TwoBudgets));
        await Budgetctl.RunAsync(As(tenant.ServiceKey), "usage", "record", "-a", "user=alice", "--cost", "6");

        var alert = await Eventually.SucceedsAsync(async () =>
        {
            var list = await Budgetctl.RunAsync(As(tenant.ServiceKey), "alerts", "list", "--state", "open", "-o", "json");
            Assert.Equal(0, list.ExitCode);
            return list.Json["items"]!.AsArray().First(a => a!["budgetId"]!.GetValue<string>() == "alice-daily")!;
        }, TimeSpan.FromSeconds(20), "alice-daily's threshold alert in the feed");

        var id = alert["id"]!.GetValue<string>();
        var ack = await Budgetctl.RunAsync(As(tenant.ServiceKey), "alerts", "ack", id);
        Assert.True(ack.ExitCode == 0, ack.ToString());
        var acknowledged = await host.GetAsync($"/v1/tenants/{tenant.Id}/alerts?state=acknowledged", tenant.ServiceKey);
        Assert.Contains(acknowledged!["items"]!.AsArray(), a => a!["id"]!.GetValue<string>() == id);

        var request = await Budgetctl.RunAsync(As(tenant.ServiceKey), "overrides", "request", "alice-daily", "--cost", "5", "--reason", "launch", "-o", "json");
        Assert.True(request.ExitCode == 0, request.ToString());
        Assert.Equal("pending", request.Json["state"]!.GetValue<string>());
        var approve = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "overrides", "approve", "alice-daily", request.Json["id"]!.GetValue<string>(), "-o", "json");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Equal("approved", approve.Json["state"]!.GetValue<string>());

        var events = await Budgetctl.RunAsync(As(tenant.TenantAdminKey), "events", "--type", "override.approved", "-o", "json");
        Assert.True(events.ExitCode == 0, events.ToString());
        Assert.Single(events.Json["items"]!.AsArray());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
