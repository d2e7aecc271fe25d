namespace BudgetActors.Extensions.AI;

/// <summary>
/// The budget service refused a request as malformed, unauthorised, unknown or conflicting: an
/// RFC 9457 problem (<c>application/problem+json</c>) over HTTP, a <see cref="BudgetActorsException"/>
/// from the cluster (mapped to the status the HTTP API would have answered).
/// </summary>
public sealed class BudgetApiException(int status, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors = null, Exception? innerException = null)
    : Exception(Describe(status, title, detail, errors), innerException)
{
    /// <summary>The HTTP status: 400 invalid, 401/403 key, 404 unknown, 409 conflict, 5xx service.</summary>
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>For a validation problem (400): field → messages. Empty otherwise.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    private static string Describe(int status, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    {
        var text = $"Budget service answered {status} {title}";
        if (!string.IsNullOrWhiteSpace(detail))
        {
            text += ": " + detail;
        }

        if (errors is { Count: > 0 })
        {
            text += " (" + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) + ")";
        }

        return text;
    }
}
