using System.Text.Json;

namespace BudgetActors.ApiHost.Http;

/// <summary>Reads a request body strictly (see <see cref="ApiJson.Strict"/>), or refuses it with a problem.</summary>
public static class JsonBody
{
    public const long MaxBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new ApiProblem(StatusCodes.Status413PayloadTooLarge, "Payload too large", "The request body is larger than 1 MiB.");
        }

        if (!request.HasJsonContentType())
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "The request body must be JSON, sent with 'Content-Type: application/json'.");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Strict, request.HttpContext.RequestAborted)
                ?? throw ApiProblem.Invalid("body", "Must be a JSON object, not null.");
        }
        catch (JsonException e) when (e.InnerException is null or not BadHttpRequestException)
        {
            throw Invalid(e, "body", null);
        }
    }

    /// <summary>Reads a nested object of a body (an amount of some kind) as strictly as a body.</summary>
    public static T ReadElement<T>(JsonElement element, string field) where T : class
    {
        try
        {
            return element.Deserialize<T>(ApiJson.Strict) ?? throw ApiProblem.Invalid(field, "Must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw Invalid(e, field, field);
        }
    }

    private static ApiProblem Invalid(JsonException e, string whole, string? prefix)
    {
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.TrimStart('$', '.');
        if (e is BodyElementException element)
        {
            path = ((path ?? "") + element.Element).TrimStart('.');
        }

        var field = path is null ? whole : prefix is null ? path : $"{prefix}.{path}";
        return ApiProblem.Invalid(field, Describe(e));
    }

    private static string Describe(JsonException e)
    {
        // The serializer's own message names .NET types; say what the client can act on.
        if (e is BodyElementException element)
        {
            return element.Reason is { } reason ? Describe(reason) : element.Message;
        }

        var message = e.Message;
        if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "The request body is empty.";
        }

        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "Unknown field.";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "Duplicate field.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "Wrong type or out of range: expected " + Expected(message) + ".";
        }

        return "Malformed JSON: " + message;
    }

    private static string Expected(string message) =>
        message.Contains("System.Decimal") || message.Contains("System.Int64") || message.Contains("System.Int32") ? "a finite JSON number in range"
        : message.Contains("System.String") ? "a string"
        : message.Contains("Dictionary") ? "an object of string values"
        : message.Contains("DateTimeOffset") ? "an ISO 8601 date and time"
        : "a value of the documented type";
}
