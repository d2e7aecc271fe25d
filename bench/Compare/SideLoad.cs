namespace BudgetActors.Compare;

/// <summary>
/// A row measured while something else goes on in the same server: <paramref name="side"/> runs in a
/// loop, every <paramref name="interval"/>, for as long as the row puts load on the server (its JIT
/// warm-up, each round's warm-up and measured window). Its failures are counted and reported, not
/// thrown: the row measures the request path, and the side load is its weather.
/// </summary>
public sealed class SideLoadRow(MeasuredRow inner, string sideName, TimeSpan interval, Func<int, Task> side) : MeasuredRow(inner.Name, inner.NeedsJitWarmup)
{
    private long _sent;
    private long _failed;
    private string? _lastFailure;

    public override string Progress => $"{inner.Progress}  (+{_sent:N0} {sideName}{(_failed > 0 ? $", {_failed} failed" : "")})";

    public override Task VerifyAsync() => inner.VerifyAsync();

    public override Task WarmUpAsync(int seconds) => WithSideLoad(() => inner.WarmUpAsync(seconds));

    public override Task RunRoundAsync(int round, int warmupSeconds, int windowSeconds) =>
        WithSideLoad(() => inner.RunRoundAsync(round, warmupSeconds, windowSeconds));

    public override async Task<Row> SummarizeAsync()
    {
        var row = await inner.SummarizeAsync();
        var note = $"{_sent:N0} {sideName} sent alongside" + (_failed > 0 ? $", {_failed:N0} of them failed (last: {_lastFailure})" : "");
        return row with { Check = row.Check is null ? note : $"{row.Check}; {note}" };
    }

    private async Task WithSideLoad(Func<Task> load)
    {
        using var stop = new CancellationTokenSource();
        var loop = Loop(stop.Token);
        try
        {
            await load();
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }
    }

    private async Task Loop(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var n = (int)Interlocked.Increment(ref _sent);
                try
                {
                    await side(n);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _failed);
                    _lastFailure = e.Message.Length > 200 ? e.Message[..200] : e.Message;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
