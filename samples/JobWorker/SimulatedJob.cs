namespace BudgetActors.JobWorker;

/// <summary>Thrown by a job whose work failed: the worker frees its hold instead of charging it.</summary>
public sealed class JobFailedException(string message) : Exception(message);

/// <summary>
/// Stands in for real work: it takes a while, and what it really costs is only known at the end —
/// between 60% and 130% of the estimate, so some jobs overrun their reservation and most do not.
/// </summary>
public sealed class SimulatedJob(int number, WorkerOptions options, Random random)
{
    public int Number => number;

    public string IdempotencyKey => $"{options.RunId}-job-{number:D3}";

    public async Task<Amount> RunAsync(Amount estimate, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Work, cancellationToken);
        if (options.FailEvery > 0 && number % options.FailEvery == 0)
        {
            throw new JobFailedException("the simulated job crashed half way");
        }

        var share = random.Next(60, 131) / 100m; // exact: money stays decimal
        return estimate with { Cost = Amount.RoundCost(estimate.Cost * share) };
    }
}
