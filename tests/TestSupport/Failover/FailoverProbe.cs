using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BudgetActors.Domain;
using BudgetActors.TestSupport.Cluster;

namespace BudgetActors.TestSupport.Failover;

/// <summary>
/// What <c>kill -9</c> of one silo costs the HTTP callers of a durable cluster under steady load
/// (a test asserts on it, bench/Compare reports it). Callers in a closed loop send usage with a new
/// idempotency key, a reservation with a new key and its commit, and a check, over the tenant's
/// budgets; each request is sent again with the same key and body until it is answered — on a 5xx,
/// a network error or the client's timeout — as a real client must for spend it reports. Every
/// request is timed against the kill. Afterwards the ledger is read: every acknowledged charge once.
/// </summary>
public sealed class FailoverProbe(DurableCluster cluster, FailoverOptions options)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<(FailoverRequestKind Kind, string Key, int Attempt, long Start, long End, int Status, string? Problem)> _attempts = new();
    private readonly ConcurrentQueue<(FailoverRequestKind Kind, string Key, long Start, long End, int Attempts, string? EntryKey, decimal Cost, string? Failure)> _operations = new();
    private long _killedAt = long.MaxValue;
    private volatile bool _stopping;
    private long _giveUpAt = long.MaxValue;

    /// <param name="requestLog">A CSV file for every request (start and duration from the kill, status), or null.</param>
    public async Task<FailoverFigures> RunAsync(string? requestLog = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Callers * 2, AllowAutoRedirect = false })
        {
            BaseAddress = cluster.ApiAddress,
            Timeout = options.RequestTimeout,
        };
        var tenant = await SetUpAsync(http);
        cluster.Note($"failover load: {options.Callers} callers on tenant {tenant.Id}, silo {options.Silo} to be killed in {(options.WarmUp + options.BeforeKill).TotalSeconds:0} s");

        var callers = Enumerable.Range(0, options.Callers).Select(c => Task.Run(() => CallerAsync(http, tenant, c))).ToArray();
        await Task.Delay(options.WarmUp + options.BeforeKill);
        Volatile.Write(ref _killedAt, Stopwatch.GetTimestamp());
        await cluster.KillSiloAsync(options.Silo);
        await Task.Delay(options.AfterKill - Elapsed(_killedAt, Stopwatch.GetTimestamp()) is { } rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
        Volatile.Write(ref _giveUpAt, Stopwatch.GetTimestamp() + Ticks(options.RetryDeadline));
        _stopping = true;
        await Task.WhenAll(callers);
        cluster.Note("failover load done");

        var attempts = _attempts.Select(a => new FailoverAttempt(a.Kind, a.Key, a.Attempt, Elapsed(_killedAt, a.Start), Elapsed(a.Start, a.End), a.Status, a.Problem))
            .OrderBy(a => a.Start).ToList();
        var operations = _operations.Select(o => new FailoverOperation(o.Kind, o.Key, Elapsed(_killedAt, o.Start), Elapsed(_killedAt, o.End), o.Attempts, o.EntryKey, o.Cost, o.Failure))
            .OrderBy(o => o.Start).ToList();
        if (requestLog is not null)
        {
            await File.WriteAllLinesAsync(requestLog, attempts.Select(a => string.Create(CultureInfo.InvariantCulture,
                    $"{a.Start.TotalSeconds:0.000},{a.Duration.TotalSeconds:0.000},{a.Status},{a.Kind},{a.Key},{a.Attempt},\"{a.Problem?.Replace("\"", "'")}\""))
                .Prepend("start_s_from_kill,duration_s,status,kind,key,attempt,problem"));
        }

        var ledger = await LedgerAudit.RunAsync(cluster.Database, tenant.Id, operations);
        return FailoverFigures.Of(options, attempts, operations, ledger);
    }

    private async Task CallerAsync(HttpClient http, Tenant tenant, int caller)
    {
        var random = new Random(caller + 1);
        for (var n = 0; !_stopping; n++)
        {
            var key = $"{tenant.Id}-c{caller}-{n}";
            var attributes = $$"""{ "user": "u{{(caller + n) % options.Users}}" }""";
            var cost = random.Next(1, 2_000_001) / 1_000_000m;
            switch (n % 3)
            {
                case 0:
                    await OperateAsync(http, tenant, FailoverRequestKind.Usage, key, tenant.Path("usage"),
                        $$"""{ "idempotencyKey": "{{key}}", "attributes": {{attributes}}, "actual": { "cost": {{Money(cost)}} } }""",
                        "usage:" + RequestIdentity.UsageId(key), cost, Charged(cost));
                    break;
                case 1:
                    var reservationId = RequestIdentity.ReservationId(key);
                    var granted = await OperateAsync(http, tenant, FailoverRequestKind.Reserve, key, tenant.Path("reservations"),
                        $$"""{ "idempotencyKey": "{{key}}", "attributes": {{attributes}}, "estimate": { "cost": {{Money(cost + 0.5m)}} }, "ttlSeconds": 600 }""",
                        "hold:" + reservationId, cost + 0.5m,
                        answer => answer["granted"]?.GetValue<bool>() == true && answer["reservationId"]?.GetValue<string>() == reservationId
                            ? null : "not granted, or another reservation id");
                    if (granted)
                    {
                        await OperateAsync(http, tenant, FailoverRequestKind.Commit, key, tenant.Path($"reservations/{reservationId}/commit"),
                            $$"""{ "actual": { "cost": {{Money(cost)}} } }""", "commit:" + reservationId, cost, Charged(cost));
                    }

                    break;
                default:
                    await OperateAsync(http, tenant, FailoverRequestKind.Check, key, tenant.Path("check"),
                        $$"""{ "attributes": {{attributes}}, "estimate": { "cost": {{Money(cost)}} } }""", null, 0m,
                        answer => answer["decision"]?.GetValue<string>() == "allow" ? null : "not allowed");
                    break;
            }
        }
    }

    /// <summary>Sends the request until it is answered (not a 5xx, not nothing); true when the answer is what it should be.</summary>
    private async Task<bool> OperateAsync(
        HttpClient http, Tenant tenant, FailoverRequestKind kind, string key, string path, string body, string? entryKey, decimal cost, Func<JsonNode, string?> wrong)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var sent = Stopwatch.GetTimestamp();
            int status;
            string text;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Key);
                using var response = await http.SendAsync(request);
                text = await response.Content.ReadAsStringAsync();
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = 0;
                text = e is TaskCanceledException ? "client timeout" : "network error: " + e.Message;
            }

            var answered = Stopwatch.GetTimestamp();
            string? failure = null;
            if (status is not 0 and < 500)
            {
                failure = status == 200 ? wrong(JsonNode.Parse(text)!) is { } why ? $"{why}: {Shorten(text)}" : null : $"answered {status}: {Shorten(text)}";
            }

            _attempts.Enqueue((kind, key, attempt, sent, answered, status, status is 0 or >= 500 ? Title(status, text) : failure));
            if (status is not 0 and < 500)
            {
                _operations.Enqueue((kind, key, started, answered, attempt, entryKey, cost, failure));
                return failure is null;
            }

            if (answered + Ticks(backoff) > Volatile.Read(ref _giveUpAt))
            {
                _operations.Enqueue((kind, key, started, answered, attempt, entryKey, cost, $"not answered at the deadline; last: {Title(status, text)}"));
                return false;
            }

            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private static Func<JsonNode, string?> Charged(decimal cost) =>
        answer => answer["charged"]?["cost"]?.GetValue<decimal>() == cost ? null : $"charged {answer["charged"]?["cost"]} instead of {cost}";

    /// <summary>A tenant of its own, its service key, a tenant-wide budget and one per user; every budget answered once, so that the clock starts on active grains.</summary>
    private async Task<Tenant> SetUpAsync(HttpClient http)
    {
        var id = "failover-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        await AdminAsync(http, HttpMethod.Post, "/v1/tenants", $$"""{ "id": "{{id}}", "name": "failover", "currency": "USD", "timezone": "UTC" }""");
        var key = (await AdminAsync(http, HttpMethod.Post, $"/v1/tenants/{id}/keys", """{ "role": "service", "name": "failover" }"""))["key"]!.GetValue<string>();
        var tenant = new Tenant(id, key);
        const string limits = """ "period": { "type": "total" }, "limits": { "cost": 1000000000 }""";
        await AdminAsync(http, HttpMethod.Put, tenant.Path("budgets/all"), $$"""{ "scope": {},{{limits}} }""");
        for (var user = 0; user < options.Users; user++)
        {
            await AdminAsync(http, HttpMethod.Put, tenant.Path($"budgets/u{user}"), $$"""{ "scope": { "user": "u{{user}}" },{{limits}} }""");
            await AdminAsync(http, HttpMethod.Post, tenant.Path("check"), $$"""{ "attributes": { "user": "u{{user}}" }, "estimate": { "cost": 1 } }""", key);
        }

        return tenant;
    }

    private async Task<JsonNode> AdminAsync(HttpClient http, HttpMethod method, string path, string json, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? cluster.AdminKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}{Environment.NewLine}{cluster.Diagnostics()}");
    }

    private static string Title(int status, string text)
    {
        if (status == 0)
        {
            return text;
        }

        try
        {
            return JsonNode.Parse(text)?["title"]?.GetValue<string>() ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            return text.Length > 80 ? text[..80] : text;
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Ticks(TimeSpan time) => (long)(time.TotalSeconds * Stopwatch.Frequency);

    private static TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((double)(to - from) / Stopwatch.Frequency);

    private sealed record Tenant(string Id, string Key)
    {
        public string Path(string rest) => $"/v1/tenants/{Id}/{rest}";
    }
}
