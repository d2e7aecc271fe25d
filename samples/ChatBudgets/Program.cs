using BudgetActors.ChatBudgets;
using BudgetActors.Extensions.AI;
using Microsoft.Extensions.AI;

// A chat program whose model calls are paid for out of budgets: a fake local model wrapped with
// UseBudgets(), against an in-memory budget service (default) or the HTTP API. See README.md.
SampleOptions? options;
try
{
    options = SampleOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

if (options is null)
{
    return 0;
}

// Rates per million tokens, in the tenant's currency: used to price on this side unless --server-pricing.
var rates = new RateCardPricer(new Dictionary<string, ModelRates>
{
    ["gpt-4o"] = new(InputPerMillion: 2.50m, OutputPerMillion: 10.00m, CachedInputPerMillion: 1.25m),
    ["gpt-4o-mini"] = new(InputPerMillion: 0.15m, OutputPerMillion: 0.60m, CachedInputPerMillion: 0.075m),
});

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
IBudgetClient budgets;
if (options.Offline)
{
    budgets = new InMemoryBudgetClient(
    [
        new OfflineBudget("acme-monthly", new Dictionary<string, string>(), CostLimit: 5.00m, TokenLimit: null),
        new OfflineBudget("alice-daily", new Dictionary<string, string> { ["user"] = "alice" }, CostLimit: 0.01m, TokenLimit: null,
            DowngradeFrom: 0.5m, DowngradeTo: "gpt-4o-mini"),
        new OfflineBudget("bob-daily", new Dictionary<string, string> { ["user"] = "bob" }, CostLimit: null, TokenLimit: 500),
    ]).WithLocalPricing(rates);
    Console.WriteLine("offline: fake model, in-memory budgets acme-monthly (cost 5.00), alice-daily (cost 0.01, downgrade from 50 %), bob-daily (500 tokens)");
}
else
{
    var api = new HttpBudgetClient(http, options.Api!, options.Key!);
    budgets = options.ServerPricing ? api : api.WithLocalPricing(rates);
    Console.WriteLine($"budget API {options.Api} as tenant {options.Tenant}; amounts priced {(options.ServerPricing ? "by the server" : "here, from the sample's rate card")}");
}

var printer = new Printer();
using var chat = new ChatClientBuilder(new CannedChatClient("gpt-4o"))
    .UseBudgets(budgets, options.Tenant, o =>
    {
        o.DefaultMaxOutputTokens = 300;
        o.Attributes = new Dictionary<string, string> { ["environment"] = "sample" };
        o.OnSettled = printer.Settled;
        o.OnCommitFailed = f => Console.Error.WriteLine($"   spend not recorded for {f.ReservationId}: {f.Actual} ({f.Error.Message})");
    })
    .Build();

try
{
    await new Tour(chat, printer).RunAsync();
    return 0;
}
catch (BudgetApiException e)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine($"the budget service refused the request: {e.Message}");
    if (e.Status == 400 && options.ServerPricing)
    {
        Console.Error.WriteLine("this server does not price llm amounts yet: run without --server-pricing");
    }

    return 1;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"cannot reach the budget API at {options.Api}: {e.Message}");
    return 1;
}
