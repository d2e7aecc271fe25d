namespace BudgetActors.Cli;

/// <summary>What budgetctl's exit code tells a script, one class of outcome each.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The service answered, and said no: a budget blocks, a reservation was not granted.</summary>
    public const int Refused = 1;

    /// <summary>The request itself was wrong: a 400 (or another 4xx about the input), or a local parse error.</summary>
    public const int BadInput = 2;

    /// <summary>401 or 403: no key, an unknown key, or a key used outside its tenant or role.</summary>
    public const int Auth = 3;

    /// <summary>The service could not be reached or could not answer: connection refused, timeout, 5xx.</summary>
    public const int Unavailable = 4;
}
