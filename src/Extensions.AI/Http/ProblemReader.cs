using System.Net;
using System.Text;
using System.Text.Json;

namespace BudgetActors.Extensions.AI;

/// <summary>Turns a non-2xx answer into a <see cref="BudgetApiException"/>, from its problem+json body when it has one.</summary>
internal static class ProblemReader
{
    private const int MaxDetailCharacters = 500;

    public static BudgetApiException ToException(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        var reason = response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
        var problem = TryRead(body);
        if (problem is not null)
        {
            return new BudgetApiException(problem.Status ?? status, problem.Title ?? reason, problem.Detail, problem.Errors);
        }

        // Not a problem document (a proxy's page, an empty 401): keep the start of the body as the detail.
        var text = Encoding.UTF8.GetString(body).Trim();
        return new BudgetApiException(status, reason, text.Length == 0 ? null : text[..Math.Min(text.Length, MaxDetailCharacters)]);
    }

    private static ProblemAnswer? TryRead(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return BudgetWire.Read<ProblemAnswer>(body) is { } p && (p.Status is not null || p.Title is not null) ? p : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
