namespace BudgetActors.Alerts.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, up to a deadline.</summary>
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Still not true after {within.TotalSeconds:0.#} s: {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Still not true after {within.TotalSeconds:0.#} s: {what}.");
            }

            await Task.Delay(10);
        }
    }
}
