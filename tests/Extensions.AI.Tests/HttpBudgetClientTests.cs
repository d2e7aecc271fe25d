using BudgetActors.Extensions.AI.Tests.Support;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>
/// HttpBudgetClient against a real local HTTP server: the exact JSON of API.md goes out, answers are
/// read with exact decimals, and problem+json errors become BudgetApiException.
/// </summary>
public sealed class HttpBudgetClientTests : IAsyncLifetime
{
    private const string BudgetsJson = """
        [{ "id": "acme-monthly", "state": "warning",
           "cost": { "limit": 100, "spent": 80.123456, "reserved": 0.5, "remaining": 19.376544, "utilization": 0.80623456 },
           "tokens": { "limit": null, "spent": 5000, "reserved": 0, "remaining": null, "utilization": null },
           "operations": { "limit": null, "spent": 12, "reserved": 1, "remaining": null, "utilization": null },
           "periodEnd": "2030-02-01T00:00:00+00:00" }]
        """;

    private readonly FakeBudgetServer _server = new();
    private readonly HttpClient _http = new();

    private HttpBudgetClient Client => new(_http, _server.BaseAddress, "svc-key-123");

    [Fact]
    public async Task Reserve_sends_the_llm_estimate_as_API_md_describes_it()
    {
        _server.Answer(200, $$"""
            { "granted": true, "reservationId": "r-1", "expiresAt": "2030-01-01T00:05:00+00:00", "decision": "downgrade",
              "downgradeTo": "small-model", "blockedBy": [], "estimate": { "cost": 0.000123456789, "tokens": 1525, "operations": 1 },
              "budgets": {{BudgetsJson}} }
            """);
        var request = new BudgetReservationRequest(
            "acme",
            new Dictionary<string, string> { ["user"] = "alice", ["model"] = "gpt-4o" },
            new LlmEstimate("gpt-4o", [new PromptMessage("system", "Be brief."), new PromptMessage("user", "Hi", "alice")], null, 500, [], null),
            TimeSpan.FromSeconds(299.2),
            "chat-42");

        var reservation = await Client.ReserveAsync(request);

        var sent = _server.SingleRequest;
        Assert.Equal(("POST", "/v1/tenants/acme/reservations", "Bearer svc-key-123"), (sent.Method, sent.Path, sent.Authorization));
        Assert.StartsWith("application/json", sent.ContentType);
        Assert.Equal(
            """{"idempotencyKey":"chat-42","attributes":{"model":"gpt-4o","user":"alice"},"llm":{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi","name":"alice"}],"maxOutputTokens":500},"ttlSeconds":300,"priority":0}""",
            sent.Body);

        Assert.True(reservation.Granted);
        Assert.Equal("r-1", reservation.ReservationId);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 5, 0, TimeSpan.Zero), reservation.ExpiresAt);
        Assert.Equal((Decision.Downgrade, "small-model"), (reservation.Decision, reservation.DowngradeTo));
        Assert.Equal(new Amount(0.000123456789m, 1525, 1), reservation.Estimate); // decimal, not double: every digit kept
        var budget = Assert.Single(reservation.Budgets);
        Assert.Equal(("acme-monthly", BudgetState.Warning), (budget.Id, budget.State));
        Assert.Equal(new MetricStatus(100m, 80.123456m, 0.5m, 19.376544m, 0.80623456m), budget.Cost);
        Assert.Equal(new MetricStatus(null, 5000m, 0m, null, null), budget.Tokens);
        Assert.Equal(new DateTimeOffset(2030, 2, 1, 0, 0, 0, TimeSpan.Zero), budget.PeriodEnd);
    }

    [Fact]
    public async Task Reserve_sends_a_prompt_estimate_and_an_explicit_estimate()
    {
        _server.Answer(200, """{ "granted": false, "reservationId": null, "expiresAt": null, "decision": "block", "blockedBy": ["acme-monthly"], "estimate": { "cost": 1, "tokens": 0, "operations": 1 }, "budgets": [] }""");
        _server.Answer(200, """{ "granted": true, "reservationId": "r-2", "decision": "allow", "blockedBy": [], "budgets": [] }""");
        var attributes = new Dictionary<string, string>();

        var refused = await Client.ReserveAsync(new BudgetReservationRequest("acme", attributes,
            new LlmEstimate("gpt-4o", [], "Summarise this.", 100, [], "batch"), TimeSpan.FromMinutes(1)));
        await Client.ReserveAsync(new BudgetReservationRequest("acme", attributes,
            new ExplicitAmount(new Amount(0.125m, 1500, 1)), TimeSpan.FromMinutes(1), Priority: -5));

        Assert.False(refused.Granted);
        Assert.Equal(["acme-monthly"], refused.BlockedBy);
        Assert.Equal(Decision.Block, refused.Decision);
        Assert.Equal(
            """{"attributes":{},"llm":{"model":"gpt-4o","prompt":"Summarise this.","maxOutputTokens":100,"tier":"batch"},"ttlSeconds":60,"priority":0}""",
            _server.Requests[0].Body);
        Assert.Equal(
            """{"attributes":{},"estimate":{"cost":0.125,"tokens":1500,"operations":1},"ttlSeconds":60,"priority":-5}""",
            _server.Requests[1].Body);
    }

    [Fact]
    public async Task Commit_sends_llmUsage_with_only_the_fields_that_carry_something()
    {
        const string answer = """{ "charged": { "cost": 0.0105, "tokens": 1200, "operations": 1 }, "released": { "cost": 0.0025, "tokens": 325, "operations": 0 }, "budgets": [] }""";
        _server.Answer(200, answer);
        _server.Answer(200, answer);

        var commit = await Client.CommitAsync("acme", "r-1", new LlmUsage("gpt-4o", 900, 300, 0));
        await Client.CommitAsync("acme", "r-1", new LlmUsage("claude-x", 900, 300, 200, 50, 120, LlmUsageShape.Anthropic, "priority"));

        Assert.Equal(("POST", "/v1/tenants/acme/reservations/r-1/commit"), (_server.Requests[0].Method, _server.Requests[0].Path));
        Assert.Equal("""{"llmUsage":{"model":"gpt-4o","inputTokens":900,"outputTokens":300,"cachedInputTokens":0}}""", _server.Requests[0].Body);
        Assert.Equal(
            """{"llmUsage":{"model":"claude-x","inputTokens":900,"outputTokens":300,"cachedInputTokens":200,"cacheWriteTokens":50,"reasoningTokens":120,"shape":"anthropic","tier":"priority"}}""",
            _server.Requests[1].Body);
        Assert.Equal(new Amount(0.0105m, 1200, 1), commit.Charged);
        Assert.Equal(new Amount(0.0025m, 325, 0), commit.Released);
    }

    [Fact]
    public async Task Commit_sends_an_explicit_actual_and_release_posts_no_body()
    {
        _server.Answer(200, """{ "charged": { "cost": 0.01, "tokens": 10, "operations": 1 }, "released": { "cost": 0, "tokens": 0, "operations": 0 }, "budgets": [] }""");
        _server.Answer(200, $$"""{ "released": { "cost": 0.5, "tokens": 1000, "operations": 1 }, "budgets": {{BudgetsJson}} }""");

        await Client.CommitAsync("acme", "r-1", new ExplicitAmount(new Amount(0.01m, 10, 1)));
        var release = await Client.ReleaseAsync("acme", "r-1");

        Assert.Equal("""{"actual":{"cost":0.01,"tokens":10,"operations":1}}""", _server.Requests[0].Body);
        Assert.Equal(("POST", "/v1/tenants/acme/reservations/r-1/release", ""), (_server.Requests[1].Method, _server.Requests[1].Path, _server.Requests[1].Body));
        Assert.Equal(new Amount(0.5m, 1000, 1), release.Released);
        Assert.Equal("acme-monthly", Assert.Single(release.Budgets).Id);
    }

    [Fact]
    public async Task A_problem_answer_becomes_a_BudgetApiException_with_status_title_detail_and_errors()
    {
        _server.AnswerProblem(400, """
            { "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1", "title": "One or more validation errors occurred.", "status": 400,
              "detail": "The request is invalid.", "errors": { "llm": ["'llm' amounts need the pricing catalog, which this deployment does not have; send 'estimate'."] } }
            """);

        var e = await Assert.ThrowsAsync<BudgetApiException>(() => Client.ReserveAsync(
            new BudgetReservationRequest("acme", new Dictionary<string, string>(), new LlmEstimate("m", [], "p", 1, [], null), TimeSpan.FromMinutes(1))));

        Assert.Equal(400, e.Status);
        Assert.Equal("One or more validation errors occurred.", e.Title);
        Assert.Equal("The request is invalid.", e.Detail);
        Assert.Equal(["'llm' amounts need the pricing catalog, which this deployment does not have; send 'estimate'."], e.Errors["llm"]);
        Assert.Contains("pricing catalog", e.Message);
    }

    [Fact]
    public async Task Not_found_and_non_json_errors_keep_their_status()
    {
        _server.AnswerProblem(404, """{ "title": "Not Found", "status": 404, "detail": "Reservation 'r-9' does not exist." }""");
        _server.Answer(502, "<html>bad gateway</html>", "text/html");

        var missing = await Assert.ThrowsAsync<BudgetApiException>(() => Client.CommitAsync("acme", "r-9", new LlmUsage("m", 1, 1, 0)));
        var gateway = await Assert.ThrowsAsync<BudgetApiException>(() => Client.ReleaseAsync("acme", "r-9"));

        Assert.Equal((404, "Reservation 'r-9' does not exist."), (missing.Status, missing.Detail));
        Assert.Equal((502, "<html>bad gateway</html>"), (gateway.Status, gateway.Detail));
    }

    [Fact]
    public async Task A_base_address_with_a_path_keeps_it_and_ids_are_escaped()
    {
        _server.Answer(200, """{ "released": { "cost": 0, "tokens": 0, "operations": 0 }, "budgets": [] }""");
        var client = new HttpBudgetClient(_http, new Uri(_server.BaseAddress, "budget-api"), "k");

        await client.ReleaseAsync("acme", "r 1");

        Assert.Equal("/budget-api/v1/tenants/acme/reservations/r%201/release", _server.SingleRequest.Path);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
