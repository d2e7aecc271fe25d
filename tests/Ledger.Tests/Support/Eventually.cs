namespace BudgetActors.Ledger.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until <paramref name="attempt"/> answers, retrying what it throws, up to a deadline.</summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception error)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new InvalidOperationException($"Still failing after {within.TotalSeconds:0} s: {what}.", error);
                }
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, up to a deadline.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Still not true after {within.TotalSeconds:0} s: {what}.");
            }

            await Task.Delay(20);
        }
    }
}
