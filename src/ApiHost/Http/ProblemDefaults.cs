using Microsoft.AspNetCore.WebUtilities;

namespace BudgetActors.ApiHost.Http;

/// <summary>
/// Fills in the <c>detail</c> of problems that the framework writes by itself (a 415 from content-type
/// matching, a 405 or 404 from routing), so that every error carries status, title and detail.
/// </summary>
public static class ProblemDefaults
{
    public static void FillDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            return;
        }

        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Detail = status switch
        {
            StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON, sent with 'Content-Type: application/json'.",
            StatusCodes.Status405MethodNotAllowed => "This path does not take this method; the Allow header lists the ones it takes.",
            StatusCodes.Status404NotFound => "There is no such endpoint.",
            _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed.",
        };
    }
}
