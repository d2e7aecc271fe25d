using System.Diagnostics;
using System.Text.Json;
using BudgetActors.Ui.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BudgetActors.Ui.Tests;

/// <summary>The dashboard in a real headless chromium against a real ApiHost process.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture)
{
    /// <summary>Tenant ⊃ alice ⊃ alice on gpt-4o: three levels of scope, with 6.30 spent by alice on gpt-4o.</summary>
    private async Task<TenantApi> TourTenantAsync(string label)
    {
        var tenant = await fixture.NewTenantAsync(label);
        await tenant.PutBudgetAsync("tenant-monthly", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 50 } }""");
        await tenant.PutBudgetAsync("alice-daily",
            """{ "scope": { "user": "alice" }, "period": { "type": "daily" }, "limits": { "cost": 10, "tokens": 1000000 }, "alerts": { "thresholds": [0.5, 0.9] } }""");
        await tenant.PutBudgetAsync("alice-gpt4o", """{ "scope": { "user": "alice", "model": "gpt-4o" }, "period": { "type": "daily" }, "limits": { "cost": 5 } }""");
        await tenant.PutBudgetAsync("bob-daily", """{ "scope": { "user": "bob" }, "period": { "type": "daily" }, "limits": { "cost": 20 } }""");
        await tenant.RecordUsageAsync("""{ "user": "alice", "model": "gpt-4o" }""", 6.30m);
        return tenant;
    }

    [Fact]
    public async Task Signing_in_shows_the_budget_tree_with_the_right_numbers()
    {
        var tenant = await TourTenantAsync("tree");
        var page = await fixture.NewPageAsync();

        await Dashboard.SignInAsync(page, tenant);

        // The tree nests scopes by containment: tenant ⊃ user alice ⊃ alice on gpt-4o; bob beside alice.
        var root = page.Locator("li.scope[data-scope='']");
        await Expect(root.Locator("> article[data-budget='tenant-monthly']")).ToBeVisibleAsync();
        var alice = root.Locator("> ul > li.scope[data-scope='user=alice']");
        await Expect(alice.Locator("> article[data-budget='alice-daily']")).ToBeVisibleAsync();
        await Expect(alice.Locator("> ul > li.scope[data-scope='model=gpt-4o&user=alice'] > article[data-budget='alice-gpt4o']")).ToBeVisibleAsync();
        await Expect(root.Locator("> ul > li.scope[data-scope='user=bob'] > article[data-budget='bob-daily']")).ToBeVisibleAsync();
        await Expect(alice.Locator("> ul > li.scope > h3")).ToHaveTextAsync("model: gpt-4o");

        // Spend / reserved / remaining / limit of every budget the usage was charged to.
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "spent")).ToHaveTextAsync("$6.30");
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "reserved")).ToHaveTextAsync("$0.00");
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "remaining")).ToHaveTextAsync("$3.70");
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "limit")).ToHaveTextAsync("$10.00");
        await Expect(Dashboard.Bar(page, "alice-daily", "cost")).ToHaveAttributeAsync("aria-valuenow", "63");
        await Expect(Dashboard.Figure(page, "alice-daily", "tokens", "limit")).ToHaveTextAsync("1,000,000");
        await Expect(Dashboard.Figure(page, "tenant-monthly", "cost", "remaining")).ToHaveTextAsync("$43.70");
        await Expect(Dashboard.Bar(page, "tenant-monthly", "cost")).ToHaveAttributeAsync("aria-valuenow", "12.6");
        await Expect(Dashboard.Figure(page, "bob-daily", "cost", "spent")).ToHaveTextAsync("$0.00");

        // States in words and colours: 6.30 of 5.00 blocks alice on gpt-4o; the others are ok.
        await Expect(Dashboard.Budget(page, "alice-gpt4o").Locator(".badge")).ToHaveTextAsync("blocked");
        await Expect(Dashboard.Budget(page, "alice-gpt4o")).ToHaveAttributeAsync("data-state", "blocked");
        await Expect(Dashboard.Budget(page, "alice-daily").Locator(".badge")).ToHaveTextAsync("ok");
        var blockedColour = await Dashboard.Bar(page, "alice-gpt4o", "cost").Locator(".spent").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var okColour = await Dashboard.Bar(page, "alice-daily", "cost").Locator(".spent").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(okColour, blockedColour);

        // Period end as the host reports it.
        var budget = await tenant.GetAsync("budgets/alice-daily");
        var periodEnd = DateTimeOffset.Parse(budget.GetProperty("status").GetProperty("periodEnd").GetString()!);
        await Expect(Dashboard.Budget(page, "alice-daily").Locator(".period")).ToContainTextAsync($"period ends {periodEnd.UtcDateTime:MMM d, yyyy}");

        // The key is kept in the tab's session storage, never in the address.
        Assert.DoesNotContain(tenant.TenantAdminKey, page.Url);
        var stored = await page.EvaluateAsync<string>("() => sessionStorage.getItem('budgetactors.session')");
        Assert.Contains(tenant.TenantAdminKey, stored);

        var shot = await Dashboard.ScreenshotAsync(page, "dashboard");
        if (DocsImages.PathOf("dashboard.png") is { } readme)
        {
            File.Copy(shot, readme, overwrite: true);
        }
    }

    [Fact]
    public async Task A_usage_recorded_over_http_moves_the_bar_within_two_seconds()
    {
        var tenant = await TourTenantAsync("live");
        var page = await fixture.NewPageAsync();
        await Dashboard.SignInAsync(page, tenant);
        var bar = Dashboard.Bar(page, "alice-daily", "cost");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "63");

        var clock = Stopwatch.StartNew();
        await tenant.RecordUsageAsync("""{ "user": "alice" }""", 2.50m);
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "88", new() { Timeout = 2_000 });
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the bar moved after {clock.Elapsed.TotalMilliseconds:0} ms");
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "spent")).ToHaveTextAsync("$8.80");
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "remaining")).ToHaveTextAsync("$1.20");
        await Expect(Dashboard.Budget(page, "alice-daily").Locator(".badge")).ToHaveTextAsync("warning");
        await Dashboard.ScreenshotAsync(page, "dashboard-after-usage");
    }

    [Fact]
    public async Task An_alert_is_acknowledged_from_the_feed()
    {
        var tenant = await TourTenantAsync("alerts");
        // 6.30 of alice's 10.00 crossed her 50 % alert threshold.
        var alertId = await Eventually.SucceedsAsync(async () =>
        {
            var feed = await tenant.GetAsync("alerts?state=open&budget=alice-daily");
            return feed.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).First();
        }, TimeSpan.FromSeconds(10), "the 50 % alert of alice-daily");

        var page = await fixture.NewPageAsync();
        await Dashboard.SignInAsync(page, tenant);
        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts" }).ClickAsync();
        var alert = page.Locator($"li[data-alert='{alertId}']");
        await Expect(alert).ToContainTextAsync("alice-daily reached 50%");
        await Expect(page.Locator("#alert-count")).ToHaveTextAsync("1");

        await alert.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Acknowledge") }).ClickAsync();

        // The open feed is empty now; the acknowledged one shows who did it.
        await Expect(page.Locator($"li[data-alert='{alertId}']")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Alert acknowledged.");
        await page.GetByLabel("State").SelectOptionAsync("acknowledged");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.Locator($"li[data-alert='{alertId}'] .ack")).ToContainTextAsync("Acknowledged");
        await Dashboard.ScreenshotAsync(page, "alerts");

        var acknowledged = await tenant.GetAsync("alerts?state=acknowledged&budget=alice-daily");
        var item = acknowledged.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetString() == alertId);
        Assert.Equal(JsonValueKind.String, item.GetProperty("acknowledgedAt").ValueKind);
    }

    [Fact]
    public async Task An_override_asked_by_a_service_key_is_approved_from_the_dashboard()
    {
        var tenant = await TourTenantAsync("overrides");
        var asked = await tenant.PostAsync("budgets/alice-daily/overrides", tenant.ServiceKey,
            """{ "raise": { "cost": 50 }, "reason": "launch day", "durationMinutes": 1440 }""");
        var overrideId = asked.GetProperty("id").GetString()!;

        var page = await fixture.NewPageAsync();
        await Dashboard.SignInAsync(page, tenant);
        await page.GetByRole(AriaRole.Link, new() { Name = "Overrides" }).ClickAsync();
        var item = page.Locator($"li[data-override='{overrideId}']");
        await Expect(item).ToContainTextAsync("launch day");
        await Expect(item).ToContainTextAsync("+$50.00 cost");
        await Dashboard.ScreenshotAsync(page, "overrides");

        await item.GetByRole(AriaRole.Button, new() { Name = $"Approve override {overrideId} of alice-daily" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Override approved.");
        await Expect(page.Locator($"li[data-override='{overrideId}']")).ToHaveCountAsync(0);
        var approved = await tenant.GetAsync("budgets/alice-daily/overrides?state=approved");
        Assert.Contains(approved.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetString() == overrideId);

        // The raise is in force at once: 10 + 50, and the tree says so within its next refresh.
        var status = (await tenant.GetAsync("budgets/alice-daily")).GetProperty("status").GetProperty("cost");
        Assert.Equal(60m, status.GetProperty("limit").GetDecimal());
        await page.GetByRole(AriaRole.Link, new() { Name = "Budgets" }).ClickAsync();
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "limit")).ToHaveTextAsync("$60.00");
    }

    [Fact]
    public async Task The_budget_page_shows_the_status_the_trend_chart_and_the_spend_records()
    {
        var tenant = await TourTenantAsync("budget-page");
        var page = await fixture.NewPageAsync();
        await Dashboard.SignInAsync(page, tenant);

        await Dashboard.Budget(page, "alice-daily").GetByRole(AriaRole.Link, new() { Name = "alice-daily" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Budget alice-daily" })).ToBeFocusedAsync();
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "spent")).ToHaveTextAsync("$6.30");
        await Expect(page.Locator("text=Scope: user: alice")).ToBeVisibleAsync();

        // The trend chart and the one spend record of the budget, from the host's own endpoints.
        await Expect(page.Locator("section[aria-labelledby='trend-title']").Locator("svg.chart")).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby='records-title']").Locator("table tbody tr")).ToHaveCountAsync(1);

        await Dashboard.ScreenshotAsync(page, "budget-page");
    }

    [Fact]
    public async Task An_unknown_budget_is_said_as_the_host_says_it()
    {
        var tenant = await fixture.NewTenantAsync("unknown");
        var page = await fixture.NewPageAsync();
        await Dashboard.SignInAsync(page, tenant);

        await page.GotoAsync("/ui/#/budget/no-such-budget");

        await Expect(page.Locator(".status [role='alert']")).ToContainTextAsync("Budget: ");
        await Expect(page.Locator(".status [role='alert']")).ToContainTextAsync("no-such-budget");
        await Expect(page.Locator(".status [data-unavailable]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_dashboard_works_by_keyboard_alone()
    {
        var tenant = await TourTenantAsync("keyboard");
        var page = await fixture.NewPageAsync();

        // The sign-in form takes the focus: type the key, Enter signs in.
        await Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(tenant.TenantAdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(Dashboard.Figure(page, "alice-daily", "cost", "spent")).ToHaveTextAsync("$6.30");

        // Tab reaches the navigation, Enter follows a link, and focus lands on the new view's heading.
        var alerts = page.GetByRole(AriaRole.Link, new() { Name = "Alerts" });
        await alerts.FocusAsync();
        var outline = await alerts.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");
        Assert.NotEqual("none", outline);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alerts" })).ToBeFocusedAsync();
        await Expect(alerts).ToHaveAttributeAsync("aria-current", "page");
    }

    [Fact]
    public async Task A_narrow_window_wraps_instead_of_scrolling_sideways()
    {
        var tenant = await TourTenantAsync("narrow");
        var page = await fixture.NewPageAsync(width: 360, height: 800);
        await Dashboard.SignInAsync(page, tenant);
        await Expect(Dashboard.Figure(page, "alice-gpt4o", "cost", "spent")).ToHaveTextAsync("$6.30");

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 360 px window");
        await Dashboard.ScreenshotAsync(page, "dashboard-narrow");
    }

    [Fact]
    public async Task A_refused_key_is_said_and_nothing_is_stored()
    {
        var tenant = await fixture.NewTenantAsync("refused");
        var page = await fixture.NewPageAsync();
        var wrong = tenant.TenantAdminKey[..^4] + "AAAA";

        await page.GetByLabel("API key").FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed (401)");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('budgetactors.session')"));
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })).ToBeHiddenAsync();
    }
}
