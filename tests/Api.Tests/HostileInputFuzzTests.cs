using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetActors.Api.Tests.Fuzz;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;
using Xunit.Abstractions;

namespace BudgetActors.Api.Tests;

/// <summary>
/// Thousands of generated requests, as a hostile client would send them, to every route of the real
/// host: mutated valid bodies, bad path ids, other tenants' ids and keys. Whatever comes, the host
/// never answers 5xx, every 4xx is an RFC 9457 problem, and no refused request changes anything
/// that either tenant can observe or uses up an idempotency key.
/// </summary>
/// <remarks>
/// A seeded <see cref="Random"/> drives the generator rather than a property-testing library: the
/// server is one stateful process whose state each accepted request moves on, so shrinking a failing
/// case by replaying smaller ones would not replay the same server; a seed (printed, and set with
/// <c>BUDGETACTORS_FUZZ_SEED</c>) reproduces the whole run, and every failure shows its request.
/// </remarks>
[Collection(ApiHostCollection.Name)]
public sealed class HostileInputFuzzTests(ApiHostFixture host, ITestOutputHelper output)
{
    private const int DefaultSeed = 20261202;
    private const int DefaultCases = 3000;
    private const int Lanes = 2; // independent tenants fuzzed side by side: the host has two cores
    private const int MaxReported = 25;

    [Fact]
    public async Task Hostile_requests_never_answer_5xx_always_explain_a_4xx_and_refusals_change_nothing()
    {
        var seed = EnvInt("BUDGETACTORS_FUZZ_SEED", DefaultSeed);
        var cases = EnvInt("BUDGETACTORS_FUZZ_CASES", DefaultCases);
        output.WriteLine($"Fuzz seed {seed} (BUDGETACTORS_FUZZ_SEED), {cases} requests (BUDGETACTORS_FUZZ_CASES) over {Lanes} tenants.");

        var clock = Stopwatch.StartNew();
        var lanes = new List<FuzzLane>();
        for (var i = 0; i < Lanes; i++)
        {
            lanes.Add(await FuzzLane.CreateAsync(host, i, new Random(seed + i)));
        }

        await Task.WhenAll(lanes.Select(lane => lane.RunAsync(cases / Lanes)));
        foreach (var lane in lanes)
        {
            await lane.AssertRefusedKeysUnusedAsync();
        }

        clock.Stop();
        var failures = lanes.SelectMany(l => l.Failures).ToList();
        output.WriteLine($"{lanes.Sum(l => l.Sent)} requests in {clock.Elapsed.TotalSeconds:0.0} s; answers by route:");
        foreach (var route in lanes.SelectMany(l => l.Statuses).GroupBy(s => s.Key.Route).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {route.Key}: {string.Join(", ", route.GroupBy(s => s.Key.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Sum(s => s.Value)}"))}");
        }

        Assert.True(failures.Count == 0,
            $"Seed {seed}: {failures.Count} of {lanes.Sum(l => l.Sent)} requests broke the contract (first {MaxReported}):{Environment.NewLine}"
            + string.Join(Environment.NewLine + Environment.NewLine, failures.Take(MaxReported)));
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
}

/// <summary>
/// One fuzzed tenant (the victim, with a budget, spend, a live hold and a spare key) and a second
/// tenant whose ids and keys are thrown at it, and which is itself watched for changes.
/// </summary>
internal sealed partial class FuzzLane
{
    private static readonly string[] BadSegments =
    [
        // No %00: Kestrel refuses a NUL in the path itself, with an empty 400, before any application code runs.
        "nope", new string('a', 129), new string('b', 1500), "a%20b", "%2e%2e", "..", "%01", "é", "*", "a%2Fb", "%E2%80%AE", "a:b@c", "-", "_",
    ];

    private readonly ApiHostFixture _host;
    private readonly int _index;
    private readonly Random _random;
    private readonly Victim _victim;
    private readonly Victim _other;
    private readonly BodyMutator _mutator;
    private readonly Dictionary<string, JsonTree> _templates = new(StringComparer.Ordinal);
    private string _liveKey;
    private int _keyGeneration;
    private string _reservationId;
    private Snapshot? _baseline;

    private FuzzLane(ApiHostFixture host, int index, Random random, Victim victim, Victim other)
    {
        _host = host;
        _index = index;
        _random = random;
        _victim = victim;
        _other = other;
        _reservationId = victim.ReservationId;
        _liveKey = NextKey();
        _mutator = new BodyMutator(random, [other.Tenant.Id, other.ReservationId, other.KeyId, victim.Tenant.Id, victim.KeyId, Victim.BudgetId, "fz-b"]);
    }

    public int Sent { get; private set; }

    public List<string> Failures { get; } = [];

    public Dictionary<(string Route, int Status), int> Statuses { get; } = [];

    private ApiClient Api => _host.Api;

    private TestTenant Tenant => _victim.Tenant;

    public static async Task<FuzzLane> CreateAsync(ApiHostFixture host, int index, Random random)
    {
        var victims = new List<Victim>();
        foreach (var label in new[] { $"fuzz{index}", $"fuzz{index}-other" })
        {
            var victim = await Victim.CreateAsync(host.Api, await host.NewTenantAsync(label));
            var tenant = victim.Tenant;
            // Prices and weights at the top of their ranges, so that in-range requests can price past 10^12.
            (await host.Api.PutAsync(tenant.Path($"/prices/{FuzzRoutes.DearModel}"), tenant.TenantAdminKey,
                $$"""{ "input": {{FuzzRoutes.Tera}}, "output": {{FuzzRoutes.Tera}} }""")).Expect(HttpStatusCode.OK);
            (await host.Api.PutAsync(tenant.Path("/cost-model"), tenant.TenantAdminKey, FuzzRoutes.LargestModel)).Expect(HttpStatusCode.OK);
            victims.Add(victim);
        }

        return new FuzzLane(host, index, random, victims[0], victims[1]);
    }

    public async Task RunAsync(int count)
    {
        _baseline = await SnapshotAsync();
        var routes = FuzzRoutes.All.SelectMany(r => Enumerable.Repeat(r, r.Weight)).ToList();
        for (var i = 0; i < count; i++)
        {
            await SendOneAsync(routes[_random.Next(routes.Count)], i);
        }
    }

    private async Task SendOneAsync(FuzzRoute route, int number)
    {
        var newTenant = $"fzt-{_index}-{number}-{_random.Next(1_000_000)}";
        var (path, targetsVictim) = PathFor(route);
        byte[]? body = null;
        if (route.Bodies.Count > 0)
        {
            var roll = _random.NextDouble();
            var source = roll < 0.08 ? FuzzRoutes.All[_random.Next(FuzzRoutes.All.Count)] : route; // now and then another route's body
            var template = source.Bodies.Count == 0 ? route.Bodies[0] : source.Bodies[_random.Next(source.Bodies.Count)];
            var tree = Template(template.Replace("{key}", _liveKey, StringComparison.Ordinal).Replace("{newTenant}", newTenant, StringComparison.Ordinal));
            body = roll is > 0.08 and < 0.16 ? Encoding.UTF8.GetBytes(tree.ToString()) : _mutator.Mutate(tree); // a few valid bodies keep the state moving
        }
        else if (_random.NextDouble() < 0.1)
        {
            body = _mutator.Mutate(new JsonObjectTree([])); // a body where none is expected
        }

        using var request = new HttpRequestMessage(route.Method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = _random.NextDouble() < 0.03
                ? new MediaTypeHeaderValue(_random.Next(2) == 0 ? "text/plain" : "application/xml")
                : new MediaTypeHeaderValue(ApiClient.Json) { CharSet = "utf-8" };
        }

        var key = KeyFor(route);
        request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        var line = $"{route.Method} {path} (key: {Describe(key)})";
        var text = body is null ? "(no body)" : Encoding.UTF8.GetString(body);

        var response = await Api.SendAsync(request);
        Sent++;
        var status = (int)response.Status;
        Statuses[(route.Name, status)] = Statuses.GetValueOrDefault((route.Name, status)) + 1;

        if (status >= 500)
        {
            Fail(line, text, response, "a 5xx answer");
            _baseline = await SnapshotAsync(); // whatever it did, judge the next requests from here
            return;
        }

        if (status >= 400)
        {
            CheckProblem(line, text, response);
            if (status == 409 && text.Contains(_liveKey, StringComparison.Ordinal))
            {
                Fail(line, text, response, $"idempotency key '{_liveKey}' was used up, though only refused requests carried it");
            }

            if (route.ReadOnly)
            {
                return;
            }

            var after = await SnapshotAsync();
            if (after.Difference(_baseline!) is { } change)
            {
                Fail(line, text, response, "a refused request changed " + change);
                _baseline = after;
            }

            if (route.Name == "create tenant" && text.Contains(newTenant, StringComparison.Ordinal)
                && (await Api.GetAsync($"/v1/tenants/{newTenant}", _host.AdminKey)).Status != HttpStatusCode.NotFound)
            {
                Fail(line, text, response, $"a refused create made tenant '{newTenant}'");
            }

            return;
        }

        await AcceptedAsync(route, line, text, response, targetsVictim);
    }

    /// <summary>An accepted request may change the state: it becomes the new baseline, and a used-up hold or key is replaced.</summary>
    private async Task AcceptedAsync(FuzzRoute route, string line, string text, ApiResponse response, bool targetsVictim)
    {
        if (route.ReadOnly)
        {
            return;
        }

        if (text.Contains(_liveKey, StringComparison.Ordinal))
        {
            if (route.Name == "usage" && response.Json.TryGetProperty("duplicate", out var duplicate) && duplicate.ValueKind == JsonValueKind.True)
            {
                Fail(line, text, response, $"idempotency key '{_liveKey}' counted as a duplicate, though only refused requests carried it");
            }

            _liveKey = NextKey();
        }

        if (route.Name == "reserve" && response.Json.TryGetProperty("expiresAt", out var expires) && expires.ValueKind == JsonValueKind.String
            && expires.GetDateTimeOffset() < DateTimeOffset.UtcNow.AddMinutes(3) && response.Json.TryGetProperty("reservationId", out var shortLived))
        {
            // A hold that would expire during the run would change the budgets between two snapshots
            // with no request at all; release it now, while it is this request's doing.
            var owner = targetsVictim ? Tenant : _other.Tenant;
            await Api.PostAsync(owner.Path($"/reservations/{shortLived.GetString()}/release"), owner.ServiceKey);
        }

        if (targetsVictim && route.Name is "commit" or "release" && response.Status == HttpStatusCode.OK)
        {
            // That hold is spent: hold a new one so that later commits and releases aim at a live reservation.
            var held = await Tenant.ReserveAsync($$"""{ "idempotencyKey": "fz-hold-{{_index}}-{{Sent}}", "estimate": { "cost": 0 } }""");
            if (held.TryGetProperty("reservationId", out var id) && id.ValueKind == JsonValueKind.String)
            {
                _reservationId = id.GetString()!;
            }
        }

        _baseline = await SnapshotAsync();
    }

    private void CheckProblem(string line, string text, ApiResponse response)
    {
        try
        {
            response.ExpectProblem(response.Status);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            Fail(line, text, response, "a 4xx that is not a problem+json with status, title and detail: " + e.Message.Split(Environment.NewLine)[0]);
        }
    }

    /// <summary>The path with its placeholders filled: mostly the victim's own ids, sometimes another tenant's or a bad one.</summary>
    private (string Path, bool TargetsVictim) PathFor(FuzzRoute route)
    {
        var tenant = Tenant.Id;
        var roll = _random.NextDouble();
        if (roll < 0.08)
        {
            tenant = _other.Tenant.Id; // another tenant's path, with this tenant's keys
        }
        else if (roll < 0.11)
        {
            tenant = Pick(BadSegments);
        }

        string Segment(params string[] good) => _random.NextDouble() < 0.12 ? Pick([.. BadSegments, _other.ReservationId, _other.KeyId]) : Pick(good);

        var path = route.Path
            .Replace("{t}", tenant, StringComparison.Ordinal)
            .Replace("{b}", route.Method == HttpMethod.Get ? Segment(Victim.BudgetId, "fz-b") : Segment("fz-b", "fz-c"), StringComparison.Ordinal)
            .Replace("{r}", Segment(_reservationId, _reservationId, _victim.ReservationId), StringComparison.Ordinal)
            .Replace("{k}", Segment("key-nope", _other.KeyId, _random.NextDouble() < 0.1 ? _victim.KeyId : "key-nope"), StringComparison.Ordinal)
            .Replace("{m}", Segment("fz-priced", "openai/gpt-4o", "a/b/c"), StringComparison.Ordinal)
            .Replace("{u}", Segment("alice", "bob"), StringComparison.Ordinal);
        return (path, tenant == Tenant.Id);
    }

    /// <summary>The key the route needs, or now and then one it must refuse: none, a stranger's, another tenant's, too weak a role.</summary>
    private string? KeyFor(FuzzRoute route)
    {
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.02 => null,
            < 0.04 => "not-a-key-" + _random.Next(),
            < 0.10 => _other.Tenant.TenantAdminKey,
            < 0.13 => Tenant.ServiceKey,
            _ => route.Needs switch
            {
                Role.Admin => _host.AdminKey,
                Role.TenantAdmin => Tenant.TenantAdminKey,
                _ => _random.Next(10) == 0 ? _victim.Key : Tenant.ServiceKey,
            },
        };
    }

    private string Describe(string? key) =>
        key is null ? "none"
        : key == _host.AdminKey ? "admin"
        : key == Tenant.TenantAdminKey ? "tenant-admin"
        : key == Tenant.ServiceKey || key == _victim.Key ? "service"
        : key == _other.Tenant.TenantAdminKey ? "other tenant's tenant-admin"
        : "unknown";

    private JsonTree Template(string json)
    {
        if (!_templates.TryGetValue(json, out var tree))
        {
            tree = JsonTree.Parse(json);
            if (_templates.Count < 512)
            {
                _templates[json] = tree;
            }
        }

        return tree;
    }

    private string NextKey() => $"fz-refused-{_index}-{++_keyGeneration}";

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>The idempotency key that only refused requests carried since it was last replaced is still unused, for usage and for reservations.</summary>
    public async Task AssertRefusedKeysUnusedAsync()
    {
        var usage = await Api.PostAsync(Tenant.Path("/usage"), Tenant.ServiceKey, $$"""{ "idempotencyKey": "{{_liveKey}}", "actual": { "cost": 0 } }""");
        if (usage.Status != HttpStatusCode.OK || usage.Json.GetProperty("duplicate").ValueKind != JsonValueKind.False)
        {
            Failures.Add($"Usage key '{_liveKey}', carried only by refused requests, was used up: {(int)usage.Status} {usage.Text}");
        }

        var reservation = await Api.PostAsync(Tenant.Path("/reservations"), Tenant.ServiceKey, $$"""{ "idempotencyKey": "{{_liveKey}}", "estimate": { "cost": 0 } }""");
        if (reservation.Status != HttpStatusCode.OK)
        {
            Failures.Add($"Reservation key '{_liveKey}', carried only by refused requests, was used up: {(int)reservation.Status} {reservation.Text}");
        }
    }

    private void Fail(string line, string body, ApiResponse response, string what)
    {
        var shown = body.Length > 600 ? body[..600] + $"… ({body.Length} characters)" : body;
        var answer = response.Text.Length > 600 ? response.Text[..600] + "…" : response.Text;
        Failures.Add($"{what}: {line}{Environment.NewLine}  body: {shown}{Environment.NewLine}  answer: {(int)response.Status} {response.MediaType} {answer}");
    }

    /// <summary>What both tenants show: budgets with their spend and holds, cost model, prices, and which known keys still work.</summary>
    private async Task<Snapshot> SnapshotAsync()
    {
        var reads = await Task.WhenAll(
            Read(Tenant.Path("/budgets"), Tenant.ServiceKey),
            Read(Tenant.Path("/cost-model"), Tenant.ServiceKey),
            Read(Tenant.Path("/prices"), Tenant.ServiceKey),
            Read(Tenant.Path(), _victim.Key),
            Read(Tenant.Path(), Tenant.TenantAdminKey),
            Read(_other.Tenant.Path("/budgets"), _other.Tenant.ServiceKey),
            Read(_other.Tenant.Path("/cost-model"), _other.Tenant.ServiceKey),
            Read(_other.Tenant.Path("/prices"), _other.Tenant.ServiceKey),
            Read(_other.Tenant.Path(), _other.Key));
        return new Snapshot(reads);
    }

    private async Task<string> Read(string path, string key)
    {
        var response = await Api.GetAsync(path, key);
        return $"{path} {(int)response.Status}: {TraceId().Replace(response.Text, "")}"; // a problem's trace id differs every time
    }

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    private sealed record Snapshot(string[] Reads)
    {
        /// <summary>The first read that differs from <paramref name="before"/>, before and after, or null.</summary>
        public string? Difference(Snapshot before)
        {
            for (var i = 0; i < Reads.Length; i++)
            {
                if (Reads[i] != before.Reads[i])
                {
                    return $"what it reads:{Environment.NewLine}    before: {before.Reads[i]}{Environment.NewLine}    after:  {Reads[i]}";
                }
            }

            return null;
        }
    }
}
