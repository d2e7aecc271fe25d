using BudgetActors.ApiHost.Cluster;
using BudgetActors.Domain;
using BudgetActors.Grains.Ledger;
using Orleans.Serialization;
using Microsoft.AspNetCore.Diagnostics;

namespace BudgetActors.ApiHost.Http;

/// <summary>A request the API refuses: becomes an RFC 9457 problem+json answer, and nothing changes.</summary>
public sealed class ApiProblem(int status, string title, string detail, IDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static ApiProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ApiProblem Invalid(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "Invalid request", "One or more fields are invalid.", errors);

    public static ApiProblem Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblem Invalid(RequestErrors errors) =>
        Invalid(errors.ToImmutable().ToDictionary(e => e.Key, e => e.Value.ToArray()));

    /// <summary>Refuses the request when the rules found anything wrong.</summary>
    public static void ThrowIfAny(RequestErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw Invalid(errors);
        }
    }

    public static ApiProblem Unauthorized(string detail) => new(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static ApiProblem Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public IResult ToResult() => Errors is null
        ? TypedResults.Problem(Message, statusCode: Status, title: Title)
        : TypedResults.ValidationProblem(Errors, Message, title: Title);
}

/// <summary>Turns refusals, from this host or from the grains, into problem+json answers.</summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ApiProblem p => p,
            BudgetActorsException e => FromDomain(e),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new ApiProblem(StatusCodes.Status413PayloadTooLarge, "Payload too large", "The request body is larger than 1 MiB."),
            BadHttpRequestException e => new ApiProblem(e.StatusCode, "Bad request", e.Message),
            OutcomeUnknownException => new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Outcome unknown",
                "The database did not confirm the write and could not be asked whether it landed, so it may or may not be recorded: retry with the same idempotency key; the retry gives the answer and counts once."),
            _ when IsStorageOutage(exception) => new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                "The database cannot be reached. A change was not made; a write may or may not have been recorded, so retry with the same idempotency key (it counts once). Checks keep working."),
            _ when ClusterRetry.IsLostWithSilo(exception) =>
                new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Cluster unavailable",
                    "The silo that serves this request went away or did not answer in time; whether it was recorded is unknown, so retry with the same idempotency key."),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        await problem.ToResult().ExecuteAsync(context);
        return true;
    }

    /// <summary>
    /// PostgreSQL is down or unreachable: the ledger refused to acknowledge, or grain storage failed.
    /// Exceptions from a silo may arrive wrapped, or as Orleans' stand-in that keeps only the type name.
    /// </summary>
    private static bool IsStorageOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var name = e.GetType().FullName ?? "";
            if (e is LedgerUnavailableException || name.StartsWith("Npgsql.", StringComparison.Ordinal)
                || (e is UnavailableExceptionFallbackException { ExceptionType: { } type } && (type.Contains("Npgsql") || type.Contains(nameof(LedgerUnavailableException)))))
            {
                return true;
            }
        }

        return false;
    }

    private static ApiProblem FromDomain(BudgetActorsException e) => e.Kind switch
    {
        ProblemKind.InvalidRequest when !e.Errors.IsEmpty =>
            new ApiProblem(StatusCodes.Status400BadRequest, "Invalid request", e.Message, e.Errors.ToDictionary(x => x.Key, x => x.Value.ToArray())),
        ProblemKind.TenantNotFound or ProblemKind.BudgetNotFound or ProblemKind.ReservationNotFound or ProblemKind.NotFound => ApiProblem.NotFound(e.Message),
        ProblemKind.Forbidden => ApiProblem.Forbidden(e.Message),
        ProblemKind.Conflict => new ApiProblem(StatusCodes.Status409Conflict, "Conflict", e.Message),
        _ => ApiProblem.BadRequest(e.Message),
    };
}
