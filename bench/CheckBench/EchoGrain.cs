using Orleans.Concurrency;

namespace BudgetActors.CheckBench;

/// <summary>The floor of the benchmark: a grain call that does nothing, so budget logic is measured on top of it.</summary>
[Alias("BudgetActors.CheckBench.IEchoGrain")]
public interface IEchoGrain : IGrainWithIntegerKey
{
    [Alias("Echo"), ReadOnly]
    Task<int> Echo(int value);
}

/// <summary>Reentrant like the budget grain, so the two differ only in what their method does.</summary>
[Reentrant]
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<int> Echo(int value) => Task.FromResult(value);
}
