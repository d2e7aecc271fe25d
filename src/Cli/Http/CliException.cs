namespace BudgetActors.Cli.Http;

/// <summary>
/// A failure that ends a command with a given exit code. The message is what the user reads; field
/// errors (from a problem+json <c>errors</c> member, or found locally) are listed under it.
/// </summary>
public class CliException(int exitCode, string message, IReadOnlyDictionary<string, string[]>? errors = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    /// <summary>Input that budgetctl itself found wrong before asking the service.</summary>
    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);
}

/// <summary>An answer of the service that is not a success, with its problem+json read.</summary>
public sealed class ApiException(int status, string message, IReadOnlyDictionary<string, string[]>? errors)
    : CliException(ExitCodeOf(status), message, errors)
{
    public int Status { get; } = status;

    /// <summary>
    /// 401/403 are auth; 5xx means the service is not able to answer (try again later); every other
    /// 4xx (400, 404 unknown id, 409 conflict, 413 too large) is about what the caller asked for.
    /// </summary>
    public static int ExitCodeOf(int status) => status switch
    {
        401 or 403 => ExitCodes.Auth,
        >= 500 => ExitCodes.Unavailable,
        _ => ExitCodes.BadInput,
    };
}
