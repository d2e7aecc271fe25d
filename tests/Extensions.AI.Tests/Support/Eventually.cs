namespace BudgetActors.Extensions.AI.Tests.Support;

/// <summary>Waits for an effect by reading it again until it shows or a deadline passes (no fixed sleeps).</summary>
public static class Eventually
{
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

            await Task.Delay(50);
        }
    }
}
