using BudgetActors.Grains.Hosting;
using BudgetActors.Pricing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Catalog prices are USD: tenants in other currencies convert them with their exchange rate. A
/// replacement catalog (Pricing:CatalogPath) in another currency is refused when the pricing is made,
/// not read as USD.
/// </summary>
public sealed class CatalogCurrencyTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("catalog-currency-").FullName;

    [Fact]
    public void A_replacement_catalog_in_euros_is_refused_naming_the_setting_and_one_in_dollars_is_taken()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "llm-prices.json")); // the shipped catalog, copied beside the tests
        Assert.Contains("\"currency\": \"USD\"", shipped);

        var euros = Pricing(Write("eur.json", shipped.Replace("\"currency\": \"USD\"", "\"currency\": \"EUR\"")));
        var refusal = Assert.Throws<InvalidOperationException>(() => euros.GetRequiredService<LlmPricing>());
        Assert.Contains("Pricing:CatalogPath names a catalog in EUR", refusal.Message);

        var dollars = Pricing(Write("usd.json", shipped));
        Assert.NotNull(dollars.GetRequiredService<LlmPricing>());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static ServiceProvider Pricing(string catalogPath) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pricing:CatalogPath"] = catalogPath }).Build())
            .AddBudgetActorsAdmission()
            .BuildServiceProvider();

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);
}
