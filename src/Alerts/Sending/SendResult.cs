namespace BudgetActors.Alerts;

/// <summary>
/// How one send went. <see cref="Error"/> is short (the status code and a trimmed body, or the
/// exception's message): it becomes the delivery's <c>lastError</c>. <see cref="Final"/> failures are
/// not retried (the channel is gone); every other failure is.
/// </summary>
public sealed record SendResult(bool Delivered, string? Error, bool Final = false)
{
    public const int MaxErrorLength = 300;

    public static SendResult Success { get; } = new(true, null);

    public static SendResult Failure(string error, bool final = false) => new(false, Trim(error), final);

    /// <summary>One line, at most <see cref="MaxErrorLength"/> characters.</summary>
    public static string Trim(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= MaxErrorLength ? line : line[..(MaxErrorLength - 1)] + "…";
    }
}
