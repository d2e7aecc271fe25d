using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BudgetActors.Compare;

/// <summary>
/// Tenants, service keys and budgets made through the API host's HTTP API with the admin key, as an
/// operator would, and the request bodies the rows send. The budgets are CheckBench's
/// (<see cref="BudgetActors.CheckBench.BenchTenants"/>): realistic shapes, limits so high that every
/// request is allowed and nothing waits.
/// </summary>
public sealed class ApiSetup(string baseUrl, string adminKey) : IDisposable
{
    /// <summary>One budget applies to the check: alice's month.</summary>
    public const string OneBudget = CheckBench.BenchTenants.OneBudget;

    /// <summary>Three nested budgets apply: the tenant's month ⊃ alice's day ⊃ alice on gpt-4o today.</summary>
    public const string ThreeBudgets = CheckBench.BenchTenants.ThreeBudgets;

    /// <summary>
    /// Reservations: one budget per user, and the requests cycle through the users. A budget keeps at
    /// most 10,000 open holds (BudgetAccount.MaxOpenHolds) and these are never committed, so on one
    /// budget a run would soon be measuring refusals; spread over this many, no budget gets near that.
    /// </summary>
    public const string Reservations = "bench-reserve";

    public const int ReservationUsers = 64;

    /// <summary>Usage recorded durably (the host on PostgreSQL): alice's month, as <see cref="OneBudget"/>.</summary>
    public const string Usage = "bench-usage";

    /// <summary>The plain check again on a budget that has every policy of issue 10 set, none of them close to refusing.</summary>
    public const string Policies = "bench-policies";

    /// <summary>Usage on the embedded host: one of <see cref="UsageUsers"/> per-user budgets, alerts off.</summary>
    public const string UsagePlain = "bench-usage-plain";

    /// <summary>The same budgets with alerts to a webhook that never answers, their thresholds crossed every period.</summary>
    public const string UsageAlerting = "bench-usage-alerting";

    /// <summary>
    /// Users (and budgets) of the usage rows, the requests cycling through them. Their limits grow
    /// geometrically (<see cref="UsageBudgetLimit"/>), so that under the load budget after budget
    /// crosses its thresholds and turns throttled and blocked — a few at first, then steadily for as
    /// long as a run lasts — rather than all at once.
    /// </summary>
    public const int UsageUsers = 64;

    /// <summary>
    /// The cost limit of user <paramref name="user"/>'s budget: passed after 8 × 1.12^user of its
    /// requests (8 for the first, about 10,000 for the last: some 640,000 requests of the row, longer
    /// than a full run).
    /// </summary>
    public static decimal UsageBudgetLimit(int user) => Cost * Math.Round(8m * (decimal)Math.Pow(1.12, user));

    /// <summary>The webhook channel of the alerting tenant (at the black hole's address).</summary>
    public const string DeadHook = "dead-hook";

    /// <summary>What every request asks for: a typical chat completion (CheckBench's request).</summary>
    public const decimal Cost = 0.012m;

    private const string Attributes = """{"user":"alice","model":"gpt-4o","queue":"interactive"}""";
    private const string Estimate = """{"cost":0.012,"tokens":1500,"operations":1}""";

    public static readonly string CheckBody = $$"""{"attributes":{{Attributes}},"estimate":{{Estimate}}}""";

    public static readonly string ReserveBody =
        $$"""{"idempotencyKey":"{{WrkRequest.KeyToken}}","attributes":{"user":"u{{WrkRequest.UserToken}}","model":"gpt-4o","queue":"interactive"},"estimate":{{Estimate}},"ttlSeconds":3600}""";

    public static readonly string UsageBody = $$"""{"idempotencyKey":"{{WrkRequest.KeyToken}}","attributes":{{Attributes}},"actual":{{Estimate}}}""";

    public static readonly string UsersUsageBody =
        $$"""{"idempotencyKey":"{{WrkRequest.KeyToken}}","attributes":{"user":"u{{WrkRequest.UserToken}}","model":"gpt-4o","queue":"interactive"},"actual":{{Estimate}}}""";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Creates the tenant and returns a new service key of it (a real <c>bak.…</c> key, sent as a bearer token).</summary>
    public async Task<string> CreateTenantAsync(string tenant)
    {
        await SendAsync(HttpMethod.Post, "/v1/tenants", adminKey, $$"""{"id":"{{tenant}}","name":"{{tenant}}","currency":"USD","timezone":"Europe/Paris"}""");
        var key = await SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/keys", adminKey, """{"role":"service","name":"bench-compare"}""");
        return key["key"]!.GetValue<string>();
    }

    public Task PutBudgetAsync(string tenant, string budget, string scope, string period, decimal cost, long tokens) =>
        SendAsync(HttpMethod.Put, $"/v1/tenants/{tenant}/budgets/{budget}", adminKey,
            $$$"""{"scope":{{{scope}}},"period":{"type":"{{{period}}}","timezone":"Europe/Paris"},"limits":{"cost":{{{Money(cost)}}},"tokens":{{{tokens}}}}}""");

    /// <summary>The budgets of CheckBench's two tenants, and one per user for reservations.</summary>
    public async Task<Dictionary<string, string>> SeedEmbeddedAsync()
    {
        var keys = new Dictionary<string, string>();
        keys[OneBudget] = await CreateTenantAsync(OneBudget);
        await PutBudgetAsync(OneBudget, "alice-monthly", """{"user":"alice"}""", "monthly", 50_000m, 10_000_000_000);

        keys[ThreeBudgets] = await CreateTenantAsync(ThreeBudgets);
        await PutBudgetAsync(ThreeBudgets, "tenant-monthly", "{}", "monthly", 1_000_000m, 1_000_000_000_000);
        await PutBudgetAsync(ThreeBudgets, "alice-daily", """{"user":"alice"}""", "daily", 10_000m, 10_000_000_000);
        await PutBudgetAsync(ThreeBudgets, "alice-gpt-4o-daily", """{"user":"alice","model":"gpt-4o"}""", "daily", 5_000m, 5_000_000_000);

        keys[Reservations] = await CreateTenantAsync(Reservations);
        for (var user = 0; user < ReservationUsers; user++)
        {
            await PutBudgetAsync(Reservations, $"u{user}-daily", $$"""{"user":"u{{user}}"}""", "daily", 10_000m, 10_000_000_000);
        }

        return keys;
    }

    /// <summary>
    /// alice's month with every policy of issue 10: throttle factor, downgrade, grace, priority bypass
    /// with an emergency ceiling, per-request caps, rate limits and carry-over — each set so that the
    /// plain check is still allowed (limits no run reaches, rate limits far above any run's rate).
    /// </summary>
    public async Task<string> SeedPoliciesAsync()
    {
        var key = await CreateTenantAsync(Policies);
        await SendAsync(HttpMethod.Put, $"/v1/tenants/{Policies}/budgets/alice-monthly", adminKey, """
            {"scope":{"user":"alice"},"period":{"type":"monthly","timezone":"Europe/Paris"},
             "limits":{"cost":50000,"tokens":10000000000},
             "enforcement":{"mode":"hard","throttleFactor":0.5,"downgradeTo":"gpt-4o-mini","gracePeriodMinutes":30,"bypassPriority":900,"emergencyCeiling":1.1},
             "perRequest":{"cost":2.00,"tokens":100000},
             "rateLimits":{"requestsPerMinute":10000000,"tokensPerMinute":1000000000000000},
             "carryOver":{"unused":true,"unusedCap":0.5,"overage":true}}
            """);
        return key;
    }

    /// <summary>
    /// The usage rows' tenants: the same <see cref="UsageUsers"/> per-user monthly budgets, and for <see cref="UsageAlerting"/> a webhook channel at <paramref name="deadHook"/>
    /// (a socket that never answers) to which every budget sends its alerts — each threshold, each
    /// state — without cooldown and up to 1,000 an hour. They forecast too, so each asks the forecaster
    /// on its timer within a minute of activation; with under 3 days of history it has no forecast yet.
    /// </summary>
    public async Task<(string Plain, string Alerting)> SeedUsageAsync(string deadHook)
    {
        var plain = await CreateTenantAsync(UsagePlain);
        var alerting = await CreateTenantAsync(UsageAlerting);
        await SendAsync(HttpMethod.Put, $"/v1/tenants/{UsageAlerting}/channels/{DeadHook}", adminKey, $$"""{"type":"webhook","url":"{{deadHook}}"}""");
        const string alerts = """ "alerts":{"thresholds":[0.5,0.75,0.9,1.0],"channels":["dead-hook"],"cooldownMinutes":0,"maxPerHour":1000,"forecast":true} """;
        for (var user = 0; user < UsageUsers; user++)
        {
            var budget = $$"""{"scope":{"user":"u{{user}}"},"period":{"type":"monthly","timezone":"UTC"},"limits":{"cost":{{Money(UsageBudgetLimit(user))}}}""";
            await SendAsync(HttpMethod.Put, $"/v1/tenants/{UsagePlain}/budgets/u{user}-monthly", adminKey, budget + "}");
            await SendAsync(HttpMethod.Put, $"/v1/tenants/{UsageAlerting}/budgets/u{user}-monthly", adminKey, budget + "," + alerts + "}");
        }

        return (plain, alerting);
    }

    /// <summary>Asks for more room on one of the alerting tenant's budgets: an override request, which alerts its channels.</summary>
    public Task RequestOverrideAsync(string key, int user) =>
        SendAsync(HttpMethod.Post, $"/v1/tenants/{UsageAlerting}/budgets/u{user % UsageUsers}-monthly/overrides", key,
            """{"raise":{"cost":1},"reason":"benchmark: alerts on the request path","durationMinutes":60}""");

    /// <summary>How many alerts the tenant's feed holds (counted up to <paramref name="pages"/> pages), and how many of their deliveries are not delivered.</summary>
    public async Task<(int Alerts, int Undelivered, bool More)> AlertFeedAsync(string tenant, string key, int pages = 50)
    {
        var (alerts, undelivered) = (0, 0);
        string? cursor = null;
        for (var page = 0; page < pages; page++)
        {
            var feed = await SendAsync(HttpMethod.Get, $"/v1/tenants/{tenant}/alerts?limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), key, null);
            foreach (var alert in feed["items"] as JsonArray ?? [])
            {
                alerts++;
                undelivered += (alert!["deliveries"] as JsonArray ?? []).Count(d => d!["status"]!.GetValue<string>() != "delivered");
            }

            cursor = feed["next"]?.GetValue<string>();
            if (cursor is null)
            {
                return (alerts, undelivered, false);
            }
        }

        return (alerts, undelivered, true);
    }

    public async Task<string> SeedDurableAsync()
    {
        var key = await CreateTenantAsync(Usage);
        await PutBudgetAsync(Usage, "alice-monthly", """{"user":"alice"}""", "monthly", 50_000m, 10_000_000_000);
        return key;
    }

    /// <summary>Sends one request of a row and returns its answer, or throws saying why it is not what the row claims to measure.</summary>
    public async Task<JsonNode> ExpectAsync(string path, string key, string body, Func<JsonNode, string?> problem)
    {
        var answer = await SendAsync(HttpMethod.Post, path, key, body);
        if (problem(answer) is { } why)
        {
            throw new InvalidOperationException($"POST {path} is not what the row measures: {why}. Answer: {answer.ToJsonString()}");
        }

        return answer;
    }

    /// <summary>The same for a server without keys (the bare endpoint), at an absolute address.</summary>
    public async Task<JsonNode> ExpectRawAsync(string url, string body, Func<JsonNode, string?> problem)
    {
        var answer = await SendAsync(HttpMethod.Post, url, null, body);
        if (problem(answer) is { } why)
        {
            throw new InvalidOperationException($"POST {url} is not what the row measures: {why}. Answer: {answer.ToJsonString()}");
        }

        return answer;
    }

    /// <summary>Held and spent cost over the tenant's budgets, to check afterwards that every answered request did what it claims.</summary>
    public async Task<(decimal Reserved, decimal Spent)> TotalsAsync(string tenant, string key)
    {
        var budgets = await SendAsync(HttpMethod.Get, $"/v1/tenants/{tenant}/budgets", key, null);
        var list = budgets["items"] as JsonArray ?? throw new InvalidOperationException($"No budget list: {budgets.ToJsonString()}");
        decimal reserved = 0, spent = 0;
        foreach (var budget in list)
        {
            reserved += budget!["status"]!["cost"]!["reserved"]!.GetValue<decimal>();
            spent += budget["status"]!["cost"]!["spent"]!.GetValue<decimal>();
        }

        return (reserved, spent);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, string? key, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"{method} {path} answered JSON null.");
    }

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
