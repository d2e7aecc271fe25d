using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetActors.Compare;

/// <summary>
/// The HTTP baseline: ASP.NET Core minimal APIs on Kestrel, in a process of its own, answering the
/// API host's check and reservation routes with no budget behind them. Each request's body is read
/// into records of the same shape as the API host's, with the same strict JSON reading, and the
/// answer is a record of the same shape and size (439 bytes for a one-budget check, 567 for a
/// reservation, as the API host's), so what separates the two is the API host's own work:
/// authentication, validation, pricing, grain calls.
/// </summary>
public static class BareEndpoint
{
    public const string Command = "bare-endpoint";

    // The API host's reading rules (src/ApiHost/Http/ApiJson.cs): strict numbers, no unknown or duplicate fields.
    private static readonly JsonSerializerOptions Strict = Dialect(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 16,
    });

    private static readonly DateTimeOffset PeriodEnd = new(2030, 1, 31, 23, 0, 0, TimeSpan.Zero);

    /// <param name="args">Passed to the host: <c>--urls http://127.0.0.1:PORT</c>.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(json => Dialect(json.SerializerOptions));
        var app = builder.Build();

        app.MapGet("/healthz", () => TypedResults.Ok("ok"));
        app.MapPost("/v1/tenants/{tenant}/check", async (string tenant, HttpRequest request) =>
        {
            var body = await Read<BareCheckBody>(request);
            return TypedResults.Ok(new BareCheckAnswer(BareDecision.Allow, [], Estimate(body.Estimate), [Budget(body.Estimate, held: false)]));
        });
        app.MapPost("/v1/tenants/{tenant}/reservations", async (string tenant, HttpRequest request) =>
        {
            var body = await Read<BareReserveBody>(request);
            return TypedResults.Ok(new BareReserveAnswer(true, "res-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddSeconds(body.TtlSeconds ?? 300),
                BareDecision.Allow, [], Estimate(body.Estimate), [Budget(body.Estimate, held: true)]));
        });

        await app.RunAsync();
        return 0;
    }

    private static async Task<T> Read<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("JSON expected", StatusCodes.Status415UnsupportedMediaType);
        }

        return await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, request.HttpContext.RequestAborted)
            ?? throw new BadHttpRequestException("A JSON object expected");
    }

    private static BareAmount Estimate(BareAmount? estimate) => new(estimate?.Cost ?? 0, estimate?.Tokens ?? 0, estimate?.Operations ?? 0);

    private static BareBudget Budget(BareAmount? estimate, bool held)
    {
        var (cost, tokens, operations) = (estimate?.Cost ?? 0, estimate?.Tokens ?? 0, estimate?.Operations ?? 0);
        return new BareBudget("alice-monthly", "ok",
            new BareMetric(50_000, 0, held ? cost : 0, 50_000 - (held ? cost : 0), 0),
            new BareMetric(10_000_000_000, 0, held ? tokens : 0, 10_000_000_000 - (held ? tokens : 0), 0),
            new BareMetric(null, 0, held ? operations : 0, null, null),
            PeriodEnd);
    }

    private static JsonSerializerOptions Dialect(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }
}

public enum BareDecision
{
    Allow,
    Block,
}

public sealed record BareAmount(decimal? Cost, long? Tokens, long? Operations);

public sealed record BareCheckBody(Dictionary<string, string>? Attributes, BareAmount? Estimate, JsonElement? Llm, int? Priority);

public sealed record BareReserveBody(string? IdempotencyKey, Dictionary<string, string>? Attributes, BareAmount? Estimate, JsonElement? Llm, int? TtlSeconds, int? Priority);

public sealed record BareMetric(decimal? Limit, decimal Spent, decimal Reserved, decimal? Remaining, decimal? Utilization);

public sealed record BareBudget(string Id, string State, BareMetric Cost, BareMetric Tokens, BareMetric Operations, DateTimeOffset PeriodEnd);

public sealed record BareCheckAnswer(BareDecision Decision, string[] BlockedBy, BareAmount Estimate, BareBudget[] Budgets);

public sealed record BareReserveAnswer(
    bool Granted, string ReservationId, DateTimeOffset ExpiresAt, BareDecision Decision, string[] BlockedBy, BareAmount Estimate, BareBudget[] Budgets);
