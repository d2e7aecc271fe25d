namespace BudgetActors.Durability.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, up to a deadline (what it throws counts as "not yet").</summary>
    /// <param name="diagnostics">What to add to the failure message (the processes' output).</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + within;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e)
            {
                lastError = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Still not true after {within.TotalSeconds:0} s: {what}.{(lastError is null ? "" : $" Last error: {lastError.Message}")}" +
                    (diagnostics is null ? "" : Environment.NewLine + diagnostics()));
            }

            await Task.Delay(100);
        }
    }
}
