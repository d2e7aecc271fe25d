namespace BudgetActors.TestSupport;

/// <summary>
/// Waits for an effect by looking again until it shows or a deadline passes (no fixed sleeps). What a
/// probe throws counts as "not yet"; at the deadline the wait fails, saying what it waited for.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public static Task HoldsAsync(Func<bool> condition, TimeSpan within, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), within, what);

    /// <param name="diagnostics">What to add to the failure message (the processes' output, say).</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what, Func<string>? diagnostics = null) =>
        await SucceedsAsync(async () => await condition() ? true : (bool?)null, within, what, diagnostics);

    /// <summary>The first answer of <paramref name="attempt"/> that does not throw.</summary>
    public static Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, TimeSpan within, string what) =>
        SucceedsAsync<T>(async () => await attempt(), within, what, null)!;

    /// <summary>The first value that is not null.</summary>
    public static async Task<T> Async<T>(Func<T?> probe, TimeSpan within, string what) where T : class =>
        (await SucceedsAsync(() => Task.FromResult(probe()), within, what, null))!;

    /// <summary>The first value that is not null.</summary>
    public static async Task<T> Async<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : struct =>
        (await SucceedsAsync(probe, within, what, null))!.Value;

    /// <summary>The first value that satisfies <paramref name="done"/>, else the last one read when <paramref name="deadline"/> passed.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow >= until)
            {
                return value;
            }

            await Task.Delay(Pause / 2);
        }
    }

    private static async Task<T?> SucceedsAsync<T>(Func<Task<T?>> attempt, TimeSpan within, string what, Func<string>? diagnostics)
    {
        var deadline = DateTime.UtcNow + within;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e)
            {
                lastError = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Still not so after {within.TotalSeconds:0} s: {what}." +
                    (lastError is null ? "" : $" Last error: {lastError.Message}") +
                    (diagnostics is null ? "" : Environment.NewLine + diagnostics()), lastError);
            }

            await Task.Delay(Pause);
        }
    }
}
