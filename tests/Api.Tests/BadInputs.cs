using System.Net;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Where a bad input is sent: the admission endpoints, with the victim's reservation for commit.</summary>
public enum Target
{
    Check,
    Reserve,
    Commit,
    Usage,
}

/// <param name="Field">The field that <c>errors</c> must name; null when the refusal is not about a field.</param>
public sealed record BadInput(Target Target, string Body, HttpStatusCode Status, string? Field, string MediaType = ApiClient.Json, bool Chunked = false);

/// <summary>
/// Malformed and invalid admission requests (API.md, Conventions). The usage and reservation bodies
/// carry the idempotency key <see cref="Key"/>, so a test can show afterwards that the key was not used up.
/// </summary>
public static class BadInputs
{
    public const string Key = "k-bad";

    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;

    private static readonly string Long257 = new('a', 257);

    public static readonly IReadOnlyDictionary<string, BadInput> All = new Dictionary<string, BadInput>
    {
        // Amounts: cost 0 … 10^12, tokens and operations 0 … 10^15, JSON numbers only.
        ["negative cost"] = Usage("""{ "cost": -0.01 }""", "actual.cost"),
        ["cost above 10^12"] = Usage("""{ "cost": 1000000000000.000001 }""", "actual.cost"),
        ["cost far out of decimal range"] = Usage("""{ "cost": 1e400 }""", "actual.cost"),
        ["cost as a string"] = Usage("""{ "cost": "5" }""", "actual.cost"),
        ["cost NaN"] = Usage("""{ "cost": NaN }""", "actual.cost"),
        ["cost NaN as a string"] = Usage("""{ "cost": "NaN" }""", "actual.cost"),
        ["cost Infinity"] = Usage("""{ "cost": Infinity }""", "actual.cost"),
        ["cost -Infinity"] = Usage("""{ "cost": -Infinity }""", "actual.cost"),
        ["cost true"] = Usage("""{ "cost": true }""", "actual.cost"),
        ["fractional tokens"] = Usage("""{ "tokens": 1.5 }""", "actual.tokens"),
        ["tokens above 10^15"] = Usage("""{ "tokens": 1000000000000001 }""", "actual.tokens"),
        ["tokens above 64 bits"] = Usage("""{ "tokens": 99999999999999999999 }""", "actual.tokens"),
        ["negative tokens"] = Usage("""{ "tokens": -1 }""", "actual.tokens"),
        ["negative operations"] = Usage("""{ "operations": -1 }""", "actual.operations"),
        ["operations above 10^15"] = Usage("""{ "operations": 1000000000000001 }""", "actual.operations"),
        ["amount not an object"] = Usage("12", "actual"),

        // Attributes: known names only, values 1–256 characters of [A-Za-z0-9._:@/+-].
        ["unknown attribute name"] = UsageWith(""" "attributes": { "color": "red" } """, "attributes.color"),
        ["attribute name in another case"] = UsageWith(""" "attributes": { "User": "alice" } """, "attributes.User"),
        ["attribute value with a bad char"] = UsageWith(""" "attributes": { "user": "al!ce" } """, "attributes.user"),
        ["attribute value with a space"] = UsageWith(""" "attributes": { "user": "al ice" } """, "attributes.user"),
        ["attribute value with a star"] = UsageWith(""" "attributes": { "user": "ali*" } """, "attributes.user"),
        ["attribute value of 257 chars"] = UsageWith($$""" "attributes": { "user": "{{Long257}}" } """, "attributes.user"),
        ["empty attribute value"] = UsageWith(""" "attributes": { "user": "" } """, "attributes.user"),
        ["attribute value not a string"] = UsageWith(""" "attributes": { "user": 5 } """, "attributes.user"),
        ["attributes not an object"] = UsageWith(""" "attributes": ["user"] """, "attributes"),

        // The body as a whole.
        ["empty body"] = new(Target.Usage, "", Bad, "body"),
        ["body null"] = new(Target.Usage, "null", Bad, "body"),
        ["body a JSON array"] = new(Target.Usage, $$"""[{ "idempotencyKey": "{{Key}}", "actual": { "cost": 1 } }]""", Bad, "body"),
        ["body a JSON string"] = new(Target.Usage, "\"usage\"", Bad, "body"),
        ["truncated JSON"] = new(Target.Usage, $$"""{ "idempotencyKey": "{{Key}}", "actual": { "cost": 1 """, Bad, null),
        ["unknown field"] = UsageWith(""" "note": "hi" """, "note"),
        ["unknown field in the amount"] = Usage("""{ "cost": 1, "dollars": 1 }""", "actual.dollars"),
        ["field name in another case"] = new(Target.Usage, $$"""{ "IdempotencyKey": "{{Key}}", "actual": { "cost": 1 } }""", Bad, "IdempotencyKey"),
        ["duplicate key in the object"] = new(Target.Usage, $$"""{ "idempotencyKey": "{{Key}}", "actual": { "cost": 1 }, "actual": { "cost": 2 } }""", Bad, "actual"),
        ["duplicate key in the amount"] = Usage("""{ "cost": 1, "cost": 100 }""", "actual.cost"),
        ["missing idempotencyKey"] = new(Target.Usage, """{ "actual": { "cost": 1 } }""", Bad, "idempotencyKey"),
        ["empty idempotencyKey"] = new(Target.Usage, """{ "idempotencyKey": "", "actual": { "cost": 1 } }""", Bad, "idempotencyKey"),
        ["idempotencyKey of 257 chars"] = new(Target.Usage, $$"""{ "idempotencyKey": "{{Long257}}", "actual": { "cost": 1 } }""", Bad, "idempotencyKey"),
        ["no amount"] = new(Target.Usage, $$"""{ "idempotencyKey": "{{Key}}" }""", Bad, "actual"),
        ["both actual and llmUsage"] = UsageWith(""" "llmUsage": { "model": "gpt-4o", "inputTokens": 1, "outputTokens": 1 } """, "llmUsage"),
        ["timestamp not a date"] = UsageWith(""" "timestamp": "yesterday" """, "timestamp"),

        // Media type and size.
        ["text/plain content type"] = new(Target.Usage, ValidUsage, HttpStatusCode.UnsupportedMediaType, null, MediaType: "text/plain"),
        ["form content type"] = new(Target.Usage, ValidUsage, HttpStatusCode.UnsupportedMediaType, null, MediaType: "application/x-www-form-urlencoded"),
        ["body over 1 MiB"] = new(Target.Usage, OverOneMiB, HttpStatusCode.RequestEntityTooLarge, null),
        ["body over 1 MiB, chunked"] = new(Target.Usage, OverOneMiB, HttpStatusCode.RequestEntityTooLarge, null, Chunked: true),

        // Reservations.
        ["reserve with ttlSeconds 0"] = Reserve(""" "ttlSeconds": 0 """, "ttlSeconds"),
        ["reserve with negative ttlSeconds"] = Reserve(""" "ttlSeconds": -5 """, "ttlSeconds"),
        ["reserve with ttlSeconds past a week"] = Reserve(""" "ttlSeconds": 604801 """, "ttlSeconds"),
        ["reserve with fractional ttlSeconds"] = Reserve(""" "ttlSeconds": 1.5 """, "ttlSeconds"),
        ["reserve with both estimate and llm"] = Reserve(""" "llm": { "model": "gpt-4o", "prompt": "hi", "maxOutputTokens": 5 } """, "llm"),
        ["reserve with priority out of range"] = Reserve(""" "priority": 100000 """, "priority"),
        ["reserve with a negative estimate"] = new(Target.Reserve, $$"""{ "idempotencyKey": "{{Key}}", "estimate": { "cost": -1 } }""", Bad, "estimate.cost"),
        ["reserve without an estimate"] = new(Target.Reserve, $$"""{ "idempotencyKey": "{{Key}}" }""", Bad, "estimate"),
        ["reserve with a bad attribute"] = Reserve(""" "attributes": { "tenant": "x" } """, "attributes.tenant"),

        // Checks.
        ["check with both estimate and llm"] = new(Target.Check, """{ "estimate": { "cost": 1 }, "llm": { "model": "gpt-4o", "prompt": "hi" } }""", Bad, "llm"),
        ["check with a negative estimate"] = new(Target.Check, """{ "estimate": { "cost": -1 } }""", Bad, "estimate.cost"),
        ["check with fractional tokens"] = new(Target.Check, """{ "estimate": { "tokens": 0.5 } }""", Bad, "estimate.tokens"),

        // Commits of the victim's held reservation.
        ["commit with a negative cost"] = new(Target.Commit, """{ "actual": { "cost": -3 } }""", Bad, "actual.cost"),
        ["commit with fractional operations"] = new(Target.Commit, """{ "actual": { "operations": 2.5 } }""", Bad, "actual.operations"),
        ["commit with cost Infinity"] = new(Target.Commit, """{ "actual": { "cost": Infinity } }""", Bad, "actual.cost"),
        ["commit without an amount"] = new(Target.Commit, "{}", Bad, "actual"),
        ["commit with an empty body"] = new(Target.Commit, "", Bad, "body"),
        ["commit with an unknown field"] = new(Target.Commit, """{ "actual": { "cost": 1 }, "estimate": { "cost": 1 } }""", Bad, "estimate"),
        ["commit as text/plain"] = new(Target.Commit, """{ "actual": { "cost": 1 } }""", HttpStatusCode.UnsupportedMediaType, null, MediaType: "text/plain"),
    };

    private static string ValidUsage => $$"""{ "idempotencyKey": "{{Key}}", "actual": { "cost": 1 } }""";

    /// <summary>A usage that would be valid but for its size: 1 MiB of whitespace between two members.</summary>
    private static string OverOneMiB => $$"""{ "idempotencyKey": "{{Key}}",{{new string(' ', 1024 * 1024)}}"actual": { "cost": 1 } }""";

    private static BadInput Usage(string actual, string field) =>
        new(Target.Usage, $$"""{ "idempotencyKey": "{{Key}}", "actual": {{actual}} }""", Bad, field);

    private static BadInput UsageWith(string member, string field) =>
        new(Target.Usage, $$"""{ "idempotencyKey": "{{Key}}", "actual": { "cost": 1 }, {{member}} }""", Bad, field);

    private static BadInput Reserve(string member, string field) =>
        new(Target.Reserve, $$"""{ "idempotencyKey": "{{Key}}", "estimate": { "cost": 1 }, {{member}} }""", Bad, field);
}
