using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BudgetActors.TestSupport;
using Npgsql;

namespace BudgetActors.Compare;

/// <summary>
/// The rows that need servers, all in one run: the bare endpoint and the API host (embedded, and on
/// PostgreSQL) driven by wrk, and the baselines this program drives itself — PostgreSQL row locks,
/// a Redis script, and an Orleans client of the API host's silo. Every server runs on loopback on a
/// free port and is stopped at the end.
/// </summary>
public sealed class NetworkRun(CompareOptions options, string runDirectory, BenchBinaries binaries)
{
    private readonly string _adminKey = "adm-compare-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Raw figures of every measured wrk run, for the JSON.</summary>
    public List<object> Raw { get; } = [];

    public async Task<List<Row>> RunAsync()
    {
        var servers = new Servers(runDirectory, binaries);
        var started = new List<IAsyncDisposable>();
        try
        {
            Console.WriteLine("  starting PostgreSQL (scripts/postgres.sh), redis-server, the bare endpoint and the API host");
            var postgresTask = PrivatePostgres.StartAsync();
            var redisTask = servers.StartRedisAsync();
            var bareTask = servers.StartBareEndpointAsync();
            // The alerting row's webhook is a local socket that never answers: plain http on loopback.
            var blackHole = BlackHole.Start();
            started.Add(blackHole);
            var embeddedTask = servers.StartApiHostAsync("apihost", _adminKey, postgres: null, new Dictionary<string, string>
            {
                ["Alerts__AllowInsecureUrls"] = "true",
                ["Alerts__AllowPrivateNetworks"] = "true",
            });
            try
            {
                await Task.WhenAll(postgresTask, redisTask, bareTask, embeddedTask);
            }
            finally
            {
                // Whatever did start is stopped at the end, even if another server failed to.
                AddIfStarted(started, postgresTask);
                AddIfStarted(started, redisTask);
                AddIfStarted(started, bareTask);
                if (embeddedTask.IsCompletedSuccessfully)
                {
                    started.Add(embeddedTask.Result.Server);
                }
            }

            var postgres = await postgresTask;
            var redis = await redisTask;
            var bare = await bareTask;
            var (embedded, gatewayPort) = await embeddedTask;
            // The host on PostgreSQL starts while the embedded one gets its tenants, keys and budgets.
            Console.WriteLine("  starting the API host on PostgreSQL; tenants, service keys and budgets through the HTTP API");
            var durableTask = servers.StartApiHostAsync("apihost-postgres", _adminKey, postgres.ConnectionString);
            // Its baseline: the same host on a database of its own whose silo never folds the ledger
            // into the daily aggregates (Reports__Background=false), so that recording spend is
            // measured with and without the folding going on beside it.
            var unfoldedConnection = await UnfoldedDatabaseAsync(postgres);
            var unfoldedTask = servers.StartApiHostAsync("apihost-postgres-unfolded", _adminKey, unfoldedConnection,
                new Dictionary<string, string> { ["Reports__Background"] = "false" });
            using var embeddedApi = new ApiSetup(embedded.BaseUrl, _adminKey);
            Dictionary<string, string> keys;
            try
            {
                keys = await embeddedApi.SeedEmbeddedAsync();
                keys[ApiSetup.Policies] = await embeddedApi.SeedPoliciesAsync();
                (keys[ApiSetup.UsagePlain], keys[ApiSetup.UsageAlerting]) = await embeddedApi.SeedUsageAsync(blackHole.Url);
            }
            finally
            {
                await Task.WhenAll(Ended(durableTask), Ended(unfoldedTask)); // either way; a failure is thrown below
                foreach (var host in new[] { durableTask, unfoldedTask }.Where(t => t.IsCompletedSuccessfully))
                {
                    started.Add(host.Result.Server);
                }
            }

            var (durable, _) = await durableTask;
            var (unfolded, _) = await unfoldedTask;
            var postmaster = Postmaster(postgres);
            using var durableApi = new ApiSetup(durable.BaseUrl, _adminKey);
            var usageKey = await durableApi.SeedDurableAsync();
            using var unfoldedApi = new ApiSetup(unfolded.BaseUrl, _adminKey);
            var unfoldedKey = await unfoldedApi.SeedDurableAsync();

            var pg32 = await PgRowLock.CreateAsync(postgres.ConnectionString, options.HttpConnections);
            started.Add(pg32);
            var pg64 = await PgRowLock.CreateAsync(postgres.ConnectionString, options.DurableConnections);
            started.Add(pg64);
            var hold = await RedisHold.CreateAsync(redis.Port);
            started.Add(hold);
            var client = await ExternalClient.ConnectAsync(gatewayPort, $"{Servers.ClusterId}-apihost");
            started.Add(client);

            var wrk = new Wrk(runDirectory, options.WrkThreads);
            var http = options.HttpConnections;
            var driver = $"wrk -t{wrk.Threads} -c{http}";
            var checkPath = (string tenant) => $"/v1/tenants/{tenant}/check";
            var reservePath = $"/v1/tenants/{ApiSetup.Reservations}/reservations";
            var usagePath = $"/v1/tenants/{ApiSetup.Usage}/usage";
            var plainUsagePath = $"/v1/tenants/{ApiSetup.UsagePlain}/usage";
            var alertingUsagePath = $"/v1/tenants/{ApiSetup.UsageAlerting}/usage";

            MeasuredRow[] rows =
            [
                new WrkRow(Raw, wrk, Rows.BareCheck, RowKind.Baseline,
                    "bare ASP.NET Core endpoint (Kestrel, minimal API): reads the check body into records like the API host's, answers a record of the same shape; no auth, no work",
                    driver, http, new WrkRequest(bare.BaseUrl + checkPath(ApiSetup.OneBudget), ApiSetup.CheckBody), [bare.Process.Id], "bare endpoint",
                    () => embeddedApi.ExpectRawAsync(bare.BaseUrl + checkPath(ApiSetup.OneBudget), ApiSetup.CheckBody, a => Is(a["decision"], "allow"))),
                new WrkRow(Raw, wrk, Rows.HttpCheck1, RowKind.Path,
                    "POST /v1/tenants/{t}/check on the API host (embedded silo, in-memory storage), service key as bearer token; one budget applies",
                    driver, http, new WrkRequest(embedded.BaseUrl + checkPath(ApiSetup.OneBudget), ApiSetup.CheckBody, keys[ApiSetup.OneBudget]),
                    [embedded.Process.Id], "API host",
                    () => embeddedApi.ExpectAsync(checkPath(ApiSetup.OneBudget), keys[ApiSetup.OneBudget], ApiSetup.CheckBody, a => Allowed(a, 1))),
                new WrkRow(Raw, wrk, Rows.HttpCheck3, RowKind.Path,
                    "the same where three nested budgets apply (tenant month ⊃ user day ⊃ user+model day)",
                    driver, http, new WrkRequest(embedded.BaseUrl + checkPath(ApiSetup.ThreeBudgets), ApiSetup.CheckBody, keys[ApiSetup.ThreeBudgets]),
                    [embedded.Process.Id], "API host",
                    () => embeddedApi.ExpectAsync(checkPath(ApiSetup.ThreeBudgets), keys[ApiSetup.ThreeBudgets], ApiSetup.CheckBody, a => Allowed(a, 3))),
                new WrkRow(Raw, wrk, Rows.HttpCheckPolicies, RowKind.Path,
                    "the plain check (one budget) where that budget has every policy of issue 10 set: throttleFactor, downgradeTo, gracePeriodMinutes, " +
                    "bypassPriority + emergencyCeiling, perRequest caps, rateLimits (far above the run's rate: every request counted, none refused), carryOver",
                    driver, http, new WrkRequest(embedded.BaseUrl + checkPath(ApiSetup.Policies), ApiSetup.CheckBody, keys[ApiSetup.Policies]),
                    [embedded.Process.Id], "API host",
                    () => embeddedApi.ExpectAsync(checkPath(ApiSetup.Policies), keys[ApiSetup.Policies], ApiSetup.CheckBody, a => Allowed(a, 1))),
                new WrkRow(Raw, wrk, Rows.BareReserve, RowKind.Baseline,
                    "bare endpoint reading the reservation body (a new idempotency key each request), answering a record shaped like a granted reservation",
                    driver, http, new WrkRequest(bare.BaseUrl + reservePath, ApiSetup.ReserveBody, Users: ApiSetup.ReservationUsers), [bare.Process.Id], "bare endpoint",
                    () => embeddedApi.ExpectRawAsync(bare.BaseUrl + reservePath, Example(ApiSetup.ReserveBody, "verify-bare"), a => Is(a["granted"], true))),
                new WrkRow(Raw, wrk, Rows.HttpReserve, RowKind.Path,
                    $"POST /v1/tenants/{{t}}/reservations on the API host, embedded default: a new idempotency key each request, one budget applies " +
                    $"(one of {ApiSetup.ReservationUsers} per-user budgets, requests cycling through the users), held for an hour, never committed",
                    driver, http, new WrkRequest(embedded.BaseUrl + reservePath, ApiSetup.ReserveBody, keys[ApiSetup.Reservations], ApiSetup.ReservationUsers),
                    [embedded.Process.Id], "API host",
                    () => embeddedApi.ExpectAsync(reservePath, keys[ApiSetup.Reservations], Example(ApiSetup.ReserveBody, "verify-reserve"),
                        a => Is(a["granted"], true) ?? Count(a, 1)),
                    answered => ReservedCheckAsync(embeddedApi, keys[ApiSetup.Reservations], answered)),
                new WrkRow(Raw, wrk, Rows.HttpUsage, RowKind.Path,
                    $"POST /v1/tenants/{{t}}/usage on the API host, embedded default: a new idempotency key each request, one budget applies " +
                    $"(one of {ApiSetup.UsageUsers} per-user monthly budgets, requests cycling through the users, limits growing from budget to budget " +
                    "so that one after another turns throttled and blocked — usage is never refused); no alerts",
                    driver, http, new WrkRequest(embedded.BaseUrl + plainUsagePath, ApiSetup.UsersUsageBody, keys[ApiSetup.UsagePlain], ApiSetup.UsageUsers),
                    [embedded.Process.Id], "API host",
                    () => embeddedApi.ExpectAsync(plainUsagePath, keys[ApiSetup.UsagePlain], Example(ApiSetup.UsersUsageBody, "verify-usage-plain"),
                        a => Is(a["duplicate"], false) ?? Count(a, 1))),
                new SideLoadRow(
                    new WrkRow(Raw, wrk, Rows.HttpUsageAlerting, RowKind.Path,
                        $"the same usage load on a tenant whose {ApiSetup.UsageUsers} budgets alert a webhook that never answers (a local socket that accepts and stays silent): " +
                        "budget after budget crosses its thresholds 0.5/0.75/0.9/1.0 and turns throttled and blocked (forecast: true as well: each budget asks the " +
                        "forecaster on its timer, which has no forecast for a day of history), " +
                        "cooldown 0, up to 1,000 alerts an hour; meanwhile an override is requested every 200 ms (each alerts too)",
                        driver, http, new WrkRequest(embedded.BaseUrl + alertingUsagePath, ApiSetup.UsersUsageBody, keys[ApiSetup.UsageAlerting], ApiSetup.UsageUsers),
                        [embedded.Process.Id], "API host",
                        () => embeddedApi.ExpectAsync(alertingUsagePath, keys[ApiSetup.UsageAlerting], Example(ApiSetup.UsersUsageBody, "verify-usage-alerting"),
                            a => Is(a["duplicate"], false) ?? Count(a, 1)),
                        _ => AlertsCheckAsync(embeddedApi, keys[ApiSetup.UsageAlerting], blackHole)),
                    "override requests", TimeSpan.FromMilliseconds(200), n => embeddedApi.RequestOverrideAsync(keys[ApiSetup.UsageAlerting], n)),
                new LoopRow(Rows.ClientCheck1, RowKind.Path,
                    "IAdmissionGrain.Check from an Orleans client in the harness's process over TCP to the gateway of the API host's silo (a job worker's path); one budget",
                    $"{options.ClientCallers} callers, one Orleans client", options.ClientCallers, "checks", _ => client.CheckAsync(), [embedded.Process.Id], "API host",
                    async () => Expect(await client.CheckAsync() is { Decision: Decision.Allow, Budgets.Length: 1 }, "an allow decision over one budget")),
                new LoopRow(Rows.RedisHold, RowKind.Baseline,
                    "Redis Lua check-and-hold: one script checks held + spent + cost ≤ limit on the budget's hash and adds the cost to held (EVALSHA, StackExchange.Redis); nothing on disk",
                    $"{options.ClientCallers} callers, one multiplexer", options.ClientCallers, "holds", _ => hold.HoldAsync(), [redis.Process.Id], "redis-server",
                    hold.HoldAsync),
                new LoopRow(Rows.PgRowLock32, RowKind.Baseline,
                    "PostgreSQL row-lock admission: UPDATE budgets SET spent = spent + $1 WHERE id = $2 AND spent + $1 <= limit, one budget row, " +
                    "each its own transaction (fsync on), Npgsql with a pool as large as the callers",
                    $"{http} callers, pool of {http}", http, "admissions", _ => pg32.AdmitAsync(), postmaster, "PostgreSQL", pg32.AdmitAsync,
                    jitWarmup: false),
                new LoopRow(Rows.PgRowLock64, RowKind.Baseline,
                    "the same with 64 callers and a pool of 64 (the durable row's concurrency)",
                    $"{options.DurableConnections} callers, pool of {options.DurableConnections}", options.DurableConnections, "admissions", _ => pg64.AdmitAsync(),
                    postmaster, "PostgreSQL", pg64.AdmitAsync, jitWarmup: false),
                new WrkRow(Raw, wrk, Rows.DurableUsageUnfolded, RowKind.Baseline,
                    "the durable usage row below on a second API host (same PostgreSQL server, a database of its own) started with Reports__Background=false: " +
                    "nothing folds the ledger into the daily aggregates while it records",
                    $"wrk -t{wrk.Threads} -c{options.DurableConnections}", options.DurableConnections,
                    new WrkRequest(unfolded.BaseUrl + usagePath, ApiSetup.UsageBody, unfoldedKey), [unfolded.Process.Id, .. postmaster ?? []], "API host + PostgreSQL",
                    () => unfoldedApi.ExpectAsync(usagePath, unfoldedKey, Example(ApiSetup.UsageBody, "verify-usage-unfolded"), a => Is(a["duplicate"], false) ?? Count(a, 1)),
                    async answered => await SpentCheckAsync(unfoldedApi, unfoldedKey, answered) + "; " + await FoldedAsync(unfoldedConnection, expectFolding: false)),
                new WrkRow(Raw, wrk, Rows.DurableUsage, RowKind.Path,
                    "POST /v1/tenants/{t}/usage on the API host with Storage__Provider=Postgres (co-hosted silo, clustering, state and ledger in PostgreSQL): " +
                    "a new idempotency key each request, one budget; answered once the ledger entry is durable; the silo's projector folds the ledger " +
                    "into the daily aggregates every 2 s meanwhile (the default)",
                    $"wrk -t{wrk.Threads} -c{options.DurableConnections}", options.DurableConnections,
                    new WrkRequest(durable.BaseUrl + usagePath, ApiSetup.UsageBody, usageKey), [durable.Process.Id, .. postmaster ?? []], "API host + PostgreSQL",
                    () => durableApi.ExpectAsync(usagePath, usageKey, Example(ApiSetup.UsageBody, "verify-usage"), a => Is(a["duplicate"], false) ?? Count(a, 1)),
                    async answered => await SpentCheckAsync(durableApi, usageKey, answered) + "; " + await FoldedAsync(postgres.ConnectionString, expectFolding: true)),
            ];

            Console.WriteLine("  checking one request of every row");
            foreach (var row in rows)
            {
                await row.VerifyAsync();
            }

            Console.WriteLine($"  warming every row up once, {options.JitWarmupSeconds} s each (tiered JIT, pools, caches)");
            foreach (var row in rows.Where(r => r.NeedsJitWarmup))
            {
                await row.WarmUpAsync(options.JitWarmupSeconds);
            }

            for (var round = 1; round <= options.Rounds; round++)
            {
                Console.WriteLine($"  round {round}/{options.Rounds}: {options.WarmupSeconds} s of load, then {options.WindowSeconds} s measured, per row");
                foreach (var row in rows)
                {
                    await row.RunRoundAsync(round, options.WarmupSeconds, options.WindowSeconds);
                    Console.WriteLine($"    {row.Progress}");
                }
            }

            var results = new List<Row>();
            foreach (var row in rows)
            {
                results.Add(await row.SummarizeAsync());
            }

            return results;
        }
        finally
        {
            started.Reverse();
            foreach (var resource in started)
            {
                await resource.DisposeAsync();
            }
        }
    }

    private static void AddIfStarted<T>(List<IAsyncDisposable> started, Task<T> task) where T : IAsyncDisposable
    {
        if (task.IsCompletedSuccessfully)
        {
            started.Add(task.Result);
        }
    }

    private static int[]? Postmaster(PrivatePostgres postgres)
    {
        var file = Path.Combine(postgres.Directory, "data", "postmaster.pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).First(), CultureInfo.InvariantCulture, out var pid) ? [pid] : null;
    }

    private static string Example(string body, string key) => new WrkRequest("", body).Example(key);

    private static string? Is(JsonNode? node, string expected) => node?.GetValue<string>() == expected ? null : $"expected \"{expected}\"";

    private static string? Is(JsonNode? node, bool expected) => node?.GetValue<bool>() == expected ? null : $"expected {expected}";

    private static string? Count(JsonNode answer, int budgets) =>
        (answer["budgets"] as JsonArray)?.Count == budgets ? null : $"expected {budgets} budget(s)";

    private static string? Allowed(JsonNode answer, int budgets) => Is(answer["decision"], "allow") ?? Count(answer, budgets);

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark setup is wrong: expected {what}.");
        }
    }

    // Every answered reservation must hold its estimate: the budgets' reserved total says how many did.
    // The server may have taken a few more than wrk counted: those in flight when a wrk run stopped.
    private static async Task<string> ReservedCheckAsync(ApiSetup api, string key, long answered)
    {
        var (reserved, _) = await api.TotalsAsync(ApiSetup.Reservations, key);
        return Agreement("holds", reserved / ApiSetup.Cost, answered);
    }

    private static async Task<string> SpentCheckAsync(ApiSetup api, string key, long answered)
    {
        var (_, spent) = await api.TotalsAsync(ApiSetup.Usage, key);
        return Agreement("charges", spent / ApiSetup.Cost, answered);
    }

    // The alerting row is only what it claims if alerts were raised and their webhook left them undelivered.
    private static async Task<string> AlertsCheckAsync(ApiSetup api, string key, BlackHole blackHole)
    {
        var (alerts, undelivered, more) = await api.AlertFeedAsync(ApiSetup.UsageAlerting, key);
        var text = $"{alerts:N0}{(more ? "+" : "")} alerts in the tenant's feed, {undelivered:N0} of their deliveries not delivered; " +
            $"the black-holed webhook accepted {blackHole.Accepted:N0} connections and answered none";
        return alerts > 0 && blackHole.Accepted > 0 ? text : text + ": NO ALERTS REACHED THE WEBHOOK, so the row did not measure what it claims";
    }

    /// <summary>A database of the benchmark's PostgreSQL server for the unfolded host, with the whole schema.</summary>
    private static async Task<string> UnfoldedDatabaseAsync(PrivatePostgres postgres)
    {
        const string name = "budget_actors_unfolded";
        var connectionString = await postgres.CreateDatabaseAsync(name);
        await postgres.ApplySchemaAsync(name);
        return connectionString;
    }

    // The durable rows compare recording with and without folding only if the folding went on
    // during the round (and did not in the baseline): how many usage charges the aggregates hold
    // at the round's end, of how many the ledger does.
    private static async Task<string> FoldedAsync(string connectionString, bool expectFolding)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var query = source.CreateCommand("""
            SELECT (SELECT coalesce(sum(charges), 0) FROM spend_daily WHERE budget_id = '' AND dimension = 'total')::bigint,
                   (SELECT count(*) FROM budget_ledger WHERE kind = $1)
            """);
        query.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)LedgerEntryKind.Usage });
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (folded, recorded) = (reader.GetInt64(0), reader.GetInt64(1));
        var text = $"{folded:N0} of the ledger's {recorded:N0} usage entries folded into the daily aggregates at the round's end";
        return expectFolding == (folded > 0)
            ? text
            : text + (expectFolding ? ": NOTHING FOLDED, so the row did not measure recording beside the folding" : ": FOLDED, so the baseline is not one without folding");
    }

    private static Task Ended(Task task) => task.ContinueWith(static _ => { }, TaskScheduler.Default);

    private static string Agreement(string what, decimal counted, long answered)
    {
        var text = $"{counted:N0} {what} counted by the budgets for {answered:N0} answered requests";
        return counted >= answered ? text + " (every answer did what it said)" : text + ": FEWER than answered, so some requests did not do what the row claims";
    }
}
