using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BudgetActors.Ui.Tests.Support;

/// <summary>What a person does on the dashboard, in the page's own words (labels, roles, button names).</summary>
public static class Dashboard
{
    public static async Task SignInAsync(IPage page, TenantApi tenant, string? key = null)
    {
        await page.GetByLabel("API key").FillAsync(key ?? tenant.TenantAdminKey);
        // The tenant id is read out of a tenant key as it is typed.
        await Expect(page.GetByLabel("Tenant id")).ToHaveValueAsync(tenant.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })).ToBeVisibleAsync();
    }

    public static ILocator Budget(IPage page, string budgetId) => page.Locator($"article[data-budget='{budgetId}']");

    public static ILocator Figure(IPage page, string budgetId, string metric, string figure) =>
        Budget(page, budgetId).Locator($"[data-metric='{metric}'] dd.{figure}");

    public static ILocator Bar(IPage page, string budgetId, string metric) =>
        Budget(page, budgetId).Locator($"[data-metric='{metric}'] [role='progressbar']");

    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(DashboardFixture.ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }
}
