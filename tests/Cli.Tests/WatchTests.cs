using System.Diagnostics;
using System.Security.Cryptography;

namespace BudgetActors.Cli.Tests;

/// <summary>
/// <c>budgetctl watch</c> in a real 80×24 terminal: tmux runs it, <c>send-keys</c> types, and
/// <c>capture-pane</c> reads the screen. The tmux server is this test's own (a socket of its own).
/// </summary>
[Collection(CliHostCollection.Name)]
public sealed class WatchTests(CliHostFixture host) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly string _socket = "budgetctl-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _script = Path.Combine(Path.GetTempPath(), $"budgetctl-watch-{Guid.NewGuid():N}.sh");

    [Fact]
    public async Task Tabs_switch_new_usage_shows_limits_are_edited_and_an_alert_is_acknowledged()
    {
        RequireTmux();
        var tenant = await host.NewTenantAsync("watch");
        var path = $"/v1/tenants/{tenant.Id}";
        await host.SendAsync(HttpMethod.Put, path + "/budgets/alice-daily", tenant.TenantAdminKey, System.Text.Json.Nodes.JsonNode.Parse(
            """{ "scope": { "user": "alice" }, "period": { "type": "daily" }, "limits": { "cost": 10 }, "alerts": { "thresholds": [0.5] } }"""));
        await host.SendAsync(HttpMethod.Put, path + "/budgets/team-monthly", tenant.TenantAdminKey, System.Text.Json.Nodes.JsonNode.Parse(
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 200 } }"""));
        await RecordAsync(tenant, 2.5m);

        await File.WriteAllTextAsync(_script, $"""
            export BUDGETACTORS_URL='{host.Host.BaseAddress}'
            export BUDGETACTORS_KEY='{tenant.TenantAdminKey}'
            exec '{Budgetctl.Dotnet}' '{Budgetctl.Dll}' watch
            """);
        await TmuxAsync("new-session", "-d", "-s", "watch", "-x", "80", "-y", "24", "bash " + _script);

        // Overview: every budget with its state and spend.
        await ScreenShowsAsync("1 Overview", "alice-daily", "2.5 / 10", "team-monthly");

        // A usage recorded meanwhile (not through the view) shows within a refresh.
        await RecordAsync(tenant, 5m);
        var overview = await ScreenShowsAsync("7.5 / 10", "warning");
        SaveForReadme(overview);

        // Trends: the chart or, where the server has no trend yet, a plain "no data".
        await TmuxAsync("send-keys", "-t", "watch", "2");
        await ScreenShowsAsync("spend per day, last 30 days", "forecast");

        // Controls: select the cost limit of alice-daily (the first budget), type a new one, save.
        await TmuxAsync("send-keys", "-t", "watch", "3");
        await ScreenShowsAsync("limits and thresholds of alice-daily", "cost limit");
        await TmuxAsync("send-keys", "-t", "watch", "Enter");
        await ScreenShowsAsync("type it, Enter saves");
        await TmuxAsync("send-keys", "-t", "watch", "25");
        await TmuxAsync("send-keys", "-t", "watch", "Enter");
        await ScreenShowsAsync("saved: alice-daily cost limit = 25");
        var budget = await host.GetAsync(path + "/budgets/alice-daily", tenant.TenantAdminKey);
        Assert.Equal(25m, budget!["limits"]!["cost"]!.GetValue<decimal>());
        Assert.Equal(0.5m, budget["alerts"]!["thresholds"]![0]!.GetValue<decimal>()); // the rest of the definition is kept

        // Alerts: the threshold alert of the 7.5 spend, acknowledged from the tab.
        await Eventually.HoldsAsync(async () =>
            (await host.GetAsync(path + "/alerts?state=open", tenant.TenantAdminKey))!["items"]!.AsArray().Count > 0, Within, "an open alert");
        await TmuxAsync("send-keys", "-t", "watch", "4");
        await ScreenShowsAsync("4 Alerts", "alice-daily", "open");
        var newest = (await host.GetAsync(path + "/alerts", tenant.TenantAdminKey))!["items"]![0]!["id"]!.GetValue<string>();
        await TmuxAsync("send-keys", "-t", "watch", "a");
        await ScreenShowsAsync($"acknowledged {newest}");
        var acknowledged = await host.GetAsync(path + "/alerts?state=acknowledged", tenant.TenantAdminKey);
        Assert.Contains(acknowledged!["items"]!.AsArray(), a => a!["id"]!.GetValue<string>() == newest);

        // q quits: the session (whose only program the view is) ends.
        await TmuxAsync("send-keys", "-t", "watch", "q");
        await Eventually.HoldsAsync(async () => (await TmuxAsync(check: false, "has-session", "-t", "watch")).ExitCode != 0, Within, "watch to quit on q");
    }

    private static void RequireTmux()
    {
        try
        {
            using var tmux = Process.Start(new ProcessStartInfo("tmux", "-V") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            tmux.WaitForExit();
            if (tmux.ExitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // not installed
        }

        Assert.Fail("budgetctl watch is tested in a real terminal: install tmux (apt-get install tmux).");
    }

    private Task RecordAsync(CliTenant tenant, decimal cost) =>
        host.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant.Id}/usage", tenant.ServiceKey, new System.Text.Json.Nodes.JsonObject
        {
            ["idempotencyKey"] = Guid.NewGuid().ToString("N"),
            ["attributes"] = new System.Text.Json.Nodes.JsonObject { ["user"] = "alice" },
            ["actual"] = new System.Text.Json.Nodes.JsonObject { ["cost"] = cost },
        });

    /// <summary>The screen once it shows every one of <paramref name="texts"/>; the last screen in the failure otherwise.</summary>
    private async Task<string> ScreenShowsAsync(params string[] texts)
    {
        var screen = "";
        var until = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < until)
        {
            screen = (await TmuxAsync(check: false, "capture-pane", "-p", "-t", "watch")).Output;
            if (texts.All(screen.Contains))
            {
                return screen;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the screen did not show {string.Join(", ", texts.Select(t => $"'{t}'"))} within {Within.TotalSeconds:0} s; it shows:\n{screen}");
        return screen;
    }

    /// <summary>The README shows the Overview as this test saw it (when the run updates docs/images).</summary>
    private static void SaveForReadme(string screen)
    {
        if (DocsImages.PathOf("budgetctl-watch.txt") is { } readme)
        {
            File.WriteAllText(readme, string.Join('\n', screen.Split('\n').Select(l => l.TrimEnd())).TrimEnd() + "\n");
        }
    }

    private Task<(int ExitCode, string Output)> TmuxAsync(params string[] args) => TmuxAsync(check: true, args);

    private async Task<(int ExitCode, string Output)> TmuxAsync(bool check, params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var tmux = Process.Start(start)!;
        var output = await tmux.StandardOutput.ReadToEndAsync();
        var error = await tmux.StandardError.ReadToEndAsync();
        await tmux.WaitForExitAsync();
        if (check && tmux.ExitCode != 0)
        {
            Assert.Fail($"tmux {string.Join(' ', args)}: exit {tmux.ExitCode}: {error}");
        }

        return (tmux.ExitCode, output);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Only this test's tmux server: its own socket.
        try
        {
            await TmuxAsync(check: false, "kill-server");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no tmux: the test already failed saying so
        }

        File.Delete(_script);
    }
}
