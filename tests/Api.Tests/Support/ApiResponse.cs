using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit.Sdk;

namespace BudgetActors.Api.Tests.Support;

/// <summary>One answer of the host. Assertions name the request and show the body when they fail.</summary>
public sealed class ApiResponse(string request, HttpStatusCode status, string? mediaType, string text, HttpResponseHeaders headers)
{
    public const string ProblemJson = "application/problem+json";

    private JsonElement? _json;

    public HttpStatusCode Status { get; } = status;

    public string? MediaType { get; } = mediaType;

    public string Text { get; } = text;

    public HttpResponseHeaders Headers { get; } = headers;

    public JsonElement Json => _json ??= Parse();

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public JsonElement Expect(HttpStatusCode expected)
    {
        ExpectStatus(expected);
        return Status == HttpStatusCode.NoContent ? default : Json;
    }

    public void ExpectStatus(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            throw Failure($"expected {(int)expected} {expected}, got {(int)Status} {Status}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem: the status, the media type and the status/title/detail members.</summary>
    public JsonElement ExpectProblem(HttpStatusCode expected)
    {
        ExpectStatus(expected);
        if (MediaType != ProblemJson)
        {
            throw Failure($"expected Content-Type {ProblemJson}, got {MediaType ?? "none"}");
        }

        var problem = Json;
        if (!problem.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || s.GetInt32() != (int)expected)
        {
            throw Failure($"the problem's 'status' member must be {(int)expected}");
        }

        foreach (var member in new[] { "title", "detail" })
        {
            if (!problem.TryGetProperty(member, out var m) || m.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(m.GetString()))
            {
                throw Failure($"the problem must have a non-empty '{member}'");
            }
        }

        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose <c>errors</c> name every given field with a message.</summary>
    public JsonElement ExpectInvalid(params string[] fields)
    {
        var problem = ExpectProblem(HttpStatusCode.BadRequest);
        if (!problem.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            throw Failure("a validation problem must have an 'errors' object");
        }

        foreach (var field in fields)
        {
            if (!errors.TryGetProperty(field, out var messages) || messages.ValueKind != JsonValueKind.Array
                || messages.GetArrayLength() == 0 || messages.EnumerateArray().Any(m => string.IsNullOrWhiteSpace(m.GetString())))
            {
                throw Failure($"'errors' must name the field '{field}' with at least one message");
            }
        }

        return problem;
    }

    private JsonElement Parse()
    {
        try
        {
            using var document = JsonDocument.Parse(Text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Failure("the body is not JSON: " + e.Message);
        }
    }

    private XunitException Failure(string what) =>
        new($"{request}: {what}.{Environment.NewLine}Status: {(int)Status}; Content-Type: {MediaType}; body:{Environment.NewLine}{Text}");
}
