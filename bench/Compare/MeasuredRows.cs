namespace BudgetActors.Compare;

/// <summary>A row of the network run: checked once, measured in rounds, then summarized.</summary>
public abstract class MeasuredRow(string name, bool jitWarmup = true)
{
    public string Name => name;

    /// <summary>False for rows whose cost is the database's, not code in a .NET process that has just started: their per-round warm-up is enough.</summary>
    public bool NeedsJitWarmup => jitWarmup;

    /// <summary>One line on the console after a round.</summary>
    public abstract string Progress { get; }

    /// <summary>Sends one request and throws unless the answer is what the row claims to measure.</summary>
    public abstract Task VerifyAsync();

    /// <summary>Load that is not measured: the JIT warm-up before the first round.</summary>
    public abstract Task WarmUpAsync(int seconds);

    public abstract Task RunRoundAsync(int round, int warmupSeconds, int windowSeconds);

    public abstract Task<Row> SummarizeAsync();

    protected static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// A row driven by wrk against a server of the run: in each round, a wrk run of warm-up (its figures
/// dropped) and a measured one. wrk reports percentiles per run, not its samples: with several
/// rounds the row's percentiles are the median of the rounds', its throughput all requests over all
/// measured time.
/// </summary>
/// <param name="check">After the rounds, given every request answered (warm-ups and the verifying request included): a sentence on whether the server did that much.</param>
public sealed class WrkRow(
    List<object> raw, Wrk wrk, string name, RowKind kind, string what, string driver, int connections, WrkRequest request,
    int[]? serverProcesses, string serverCpuOf, Func<Task> verify, Func<long, Task<string>>? check = null) : MeasuredRow(name)
{
    private readonly List<(WrkResult Result, double? CpuUs, double Busy)> _rounds = [];
    private long _answered;

    public override string Progress => _rounds.Count == 0 ? Name :
        $"{Name,-20} {_rounds[^1].Result.PerSecond,10:N0}/s  p50 {_rounds[^1].Result.P50Us / 1000,7:0.00} ms  p99 {_rounds[^1].Result.P99Us / 1000,7:0.00} ms" +
        (_rounds[^1].Result.Errors > 0 ? $"  {_rounds[^1].Result.Errors} ERRORS" : "");

    public override async Task VerifyAsync()
    {
        await verify();
        _answered++;
    }

    public override async Task WarmUpAsync(int seconds) =>
        _answered += (await wrk.RunAsync($"{Name}-jit", request, connections, seconds, $"{Name}-jit")).Requests;

    public override async Task RunRoundAsync(int round, int warmupSeconds, int windowSeconds)
    {
        WrkResult? warm = null;
        if (warmupSeconds > 0)
        {
            warm = await wrk.RunAsync($"{Name}-warmup", request, connections, warmupSeconds, $"{Name}-r{round}w");
            _answered += warm.Requests;
        }

        var before = Cpu.Take(serverProcesses);
        var measured = await wrk.RunAsync(Name, request, connections, windowSeconds, $"{Name}-r{round}m");
        var after = Cpu.Take(serverProcesses);
        _answered += measured.Requests;
        _rounds.Add((measured, Cpu.MicrosPerOp(before, after, measured.Requests, serverProcesses), Cpu.MachineBusyPercent(before, after)));
        lock (raw)
        {
            raw.Add(new { row = Name, round, warmup = warm, measured });
        }
    }

    public override async Task<Row> SummarizeAsync()
    {
        var results = _rounds.Select(r => r.Result).ToList();
        var requests = results.Sum(r => r.Requests);
        var seconds = results.Sum(r => r.Seconds);
        var cpu = _rounds.All(r => r.CpuUs is not null) && requests > 0
            ? _rounds.Sum(r => r.CpuUs!.Value * r.Result.Requests) / requests
            : (double?)null;
        return new Row(Name, kind, what, driver, connections, "requests", requests / seconds,
            Median(results.Select(r => r.P50Us)), Median(results.Select(r => r.P99Us)), Median(results.Select(r => r.P999Us)), results.Max(r => r.MaxUs),
            Row.UnderLoad, requests, seconds, [.. results.Select(r => r.PerSecond)],
            cpu, serverCpuOf, _rounds.Average(r => r.Busy), results.Sum(r => r.Errors),
            check is null ? null : await check(_answered));
    }
}

/// <summary>A row this program drives itself with a <see cref="ClosedLoop"/> (the client is this process).</summary>
public sealed class LoopRow(
    string name, RowKind kind, string what, string driver, int callers, string unit, Func<int, Task> call,
    int[]? serverProcesses, string serverCpuOf, Func<Task> verify, bool jitWarmup = true) : MeasuredRow(name, jitWarmup)
{
    private readonly ClosedLoop _loop = new(callers);
    private readonly List<(double? CpuUs, long Operations, double PerSecond, double Busy)> _rounds = [];

    public override string Progress => _rounds.Count == 0 ? Name : $"{Name,-20} {_rounds[^1].PerSecond,10:N0}/s";

    public override Task VerifyAsync() => verify();

    public override Task WarmUpAsync(int seconds) => new ClosedLoop(callers).RunRoundAsync(call, TimeSpan.Zero, TimeSpan.FromSeconds(seconds));

    public override async Task RunRoundAsync(int round, int warmupSeconds, int windowSeconds)
    {
        var (warmup, window) = (TimeSpan.FromSeconds(warmupSeconds), TimeSpan.FromSeconds(windowSeconds));
        var run = _loop.RunRoundAsync(call, warmup, window);

        // The server's CPU over the same window as the loop's (to within a timer tick).
        await Task.Delay(warmup);
        var before = Cpu.Take(serverProcesses);
        await Task.Delay(window);
        var after = Cpu.Take(serverProcesses);
        var (operations, seconds) = await run;
        _rounds.Add((Cpu.MicrosPerOp(before, after, operations, serverProcesses), operations, operations / seconds, Cpu.MachineBusyPercent(before, after)));
    }

    public override Task<Row> SummarizeAsync()
    {
        var r = _loop.Summarize();
        var operations = _rounds.Sum(x => x.Operations);
        var cpu = _rounds.All(x => x.CpuUs is not null) && operations > 0
            ? _rounds.Sum(x => x.CpuUs!.Value * x.Operations) / operations
            : (double?)null;
        return Task.FromResult(new Row(Name, kind, what, driver, callers, unit, r.PerSecond, r.P50Us, r.P99Us, r.P999Us, r.MaxUs, Row.UnderLoad,
            r.Operations, r.Seconds, r.RoundRates, cpu, serverCpuOf, _rounds.Average(x => x.Busy)));
    }
}
