using System.Collections.Immutable;

namespace BudgetActors.JobWorker;

/// <summary>
/// The job worker's loop: reserve what a job is expected to cost, do the work, commit what it really
/// cost — or release the hold when the work fails. A refusal names the budgets that blocked it.
/// </summary>
public sealed class JobRunner(IAdmissionGrain admission, WorkerOptions options)
{
    private readonly Random _random = new(options.Seed);
    private readonly ImmutableSortedDictionary<string, string> _attributes =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("user", options.User), KeyValuePair.Create("queue", options.Queue)]);

    public int Committed { get; private set; }
    public int Refused { get; private set; }
    public int Released { get; private set; }
    public decimal ChargedCost { get; private set; }
    public ImmutableArray<BudgetStatus> LastBudgets { get; private set; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var estimate = new Amount(options.EstimateCost, 0, 1);
        for (var number = 1; number <= options.Jobs && !cancellationToken.IsCancellationRequested; number++)
        {
            var job = new SimulatedJob(number, options, _random);
            if (!await RunJobAsync(job, estimate, cancellationToken))
            {
                Console.WriteLine("stopping: a budget refused the work");
                return;
            }
        }
    }

    /// <summary>The budgets that apply to this worker's jobs as they stand now (a check of nothing holds nothing).</summary>
    public async Task<ImmutableArray<BudgetStatus>> CurrentBudgetsAsync() =>
        (await admission.Check(options.Tenant, new CheckRequest(_attributes, new ExplicitAmount(Amount.Zero)))).Budgets;

    /// <returns>False when a budget refused the job and the worker should stop.</returns>
    private async Task<bool> RunJobAsync(SimulatedJob job, Amount estimate, CancellationToken cancellationToken)
    {
        var reservation = await ReserveAsync(job, estimate, cancellationToken);
        if (reservation is null)
        {
            return false;
        }

        Amount actual;
        try
        {
            if (reservation.Decision == Decision.Throttle && reservation.ThrottleFactor is { } factor and > 0m)
            {
                // A throttled budget asks callers to slow down: stretch the pause before the work.
                await Task.Delay(options.Work * (double)(1m / factor - 1m), cancellationToken);
            }

            actual = await job.RunAsync(estimate, cancellationToken);
        }
        catch (Exception e)
        {
            // The work did not happen (or not all of it we could measure): free the hold at once
            // rather than let it block others until it expires.
            var released = await admission.Release(options.Tenant, reservation.ReservationId!);
            Released++;
            LastBudgets = released.Budgets;
            Printer.Job(job, "release", $"{e.Message}; freed {Printer.Money(released.Released.Cost)}");
            return true;
        }

        Printer.Job(job, "work", $"actual {Printer.Money(actual.Cost)} (estimate {Printer.Money(estimate.Cost)}, {(actual.Cost > estimate.Cost ? "over" : "under")})");
        var commit = await CommitAsync(reservation.ReservationId!, actual);
        Committed++;
        ChargedCost += commit.Charged.Cost;
        LastBudgets = commit.Budgets;
        Printer.Job(job, "commit", $"charged {Printer.Money(commit.Charged.Cost)}, freed {Printer.Money(commit.Released.Cost)} | {Printer.Budgets(commit.Budgets)}");
        return true;
    }

    /// <summary>The granted reservation, or null when the budgets refused it (after any retries).</summary>
    private async Task<ReserveResult?> ReserveAsync(SimulatedJob job, Amount estimate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            // A refused reservation stays refused under its key (retries answer the first result),
            // so each new attempt after a refusal is a new request with its own key.
            var key = attempt == 0 ? job.IdempotencyKey : $"{job.IdempotencyKey}-retry-{attempt}";
            var result = await admission.Reserve(options.Tenant, new ReserveRequest(key, _attributes, new ExplicitAmount(estimate), options.Ttl));
            if (result.Granted)
            {
                Printer.Job(job, "reserve", $"granted {result.ReservationId}: {Printer.Decision(result.Decision, result.ThrottleFactor, result.DowngradeTo)}, " +
                    $"holding {Printer.Money(estimate.Cost)} on {string.Join(", ", result.Budgets.Select(b => b.BudgetId))}");
                return result;
            }

            Refused++;
            LastBudgets = result.Budgets;
            Printer.Job(job, "refused", $"blocked by {string.Join(", ", result.BlockedBy)} | {Printer.Budgets(result.Budgets)}");
            if (attempt >= options.Retries)
            {
                return null;
            }

            var backoff = TimeSpan.FromSeconds(Math.Pow(2, attempt));
            Printer.Job(job, "backoff", $"retrying in {backoff.TotalSeconds:0} s (holds of other workers may be released or expire)");
            await Task.Delay(backoff, cancellationToken);
        }
    }

    /// <summary>A commit is idempotent per reservation, so a failed call is simply retried.</summary>
    private async Task<CommitResult> CommitAsync(string reservationId, Amount actual)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await admission.Commit(options.Tenant, reservationId, new CommitRequest(new ExplicitAmount(actual)));
            }
            catch (Exception e) when (e is not BudgetActorsException && attempt < 3)
            {
                Console.WriteLine($"commit of {reservationId} failed ({e.Message}); retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }
}
