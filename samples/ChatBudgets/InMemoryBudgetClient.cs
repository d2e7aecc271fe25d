using BudgetActors.Extensions.AI;

namespace BudgetActors.ChatBudgets;

/// <summary>One budget of the offline service: a scope, a cost and/or token limit, and a downgrade policy.</summary>
public sealed record OfflineBudget(
    string Id,
    IReadOnlyDictionary<string, string> Scope,
    decimal? CostLimit,
    long? TokenLimit,
    decimal DowngradeFrom = 1m,
    string? DowngradeTo = null);

/// <summary>
/// A small in-process budget service so the sample needs no server: reservations hold on every budget
/// whose scope matches, or on none; a hold that would pass a limit is refused; one that would pass the
/// downgrade fraction is granted with a downgrade. It prices nothing: wrap it with WithLocalPricing.
/// </summary>
public sealed class InMemoryBudgetClient(IEnumerable<OfflineBudget> budgets) : IBudgetClient
{
    private readonly Lock _gate = new();
    private readonly List<Account> _accounts = [.. budgets.Select(b => new Account(b))];
    private readonly Dictionary<string, (Amount Held, List<Account> On)> _holds = [];
    private int _next;

    public Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        var estimate = Explicit(request.Estimate);
        lock (_gate)
        {
            var applicable = _accounts.Where(a => a.Applies(request.Attributes)).ToList();
            var blockedBy = applicable.Where(a => a.UtilizationWith(estimate) > 1m).Select(a => a.Budget.Id).ToList();
            if (blockedBy.Count > 0)
            {
                return Task.FromResult(new BudgetReservation(false, null, null, Decision.Block, null, null, blockedBy, estimate, Snapshots(applicable)));
            }

            var downgrading = applicable.FirstOrDefault(a => a.Budget.DowngradeTo is not null && a.UtilizationWith(estimate) >= a.Budget.DowngradeFrom);
            var id = $"offline-{++_next}";
            foreach (var account in applicable)
            {
                account.Reserved += estimate;
            }

            _holds[id] = (estimate, applicable);
            return Task.FromResult(new BudgetReservation(true, id, DateTimeOffset.UtcNow + request.Ttl,
                downgrading is null ? Decision.Allow : Decision.Downgrade, null, downgrading?.Budget.DowngradeTo, [], estimate, Snapshots(applicable)));
        }
    }

    public Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default)
    {
        var charged = Explicit(actual);
        lock (_gate)
        {
            var (held, on) = Take(reservationId);
            foreach (var account in on)
            {
                account.Reserved -= held;
                account.Spent += charged;
            }

            return Task.FromResult(new BudgetCommit(charged, held, Snapshots(on)));
        }
    }

    public Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var (held, on) = Take(reservationId);
            foreach (var account in on)
            {
                account.Reserved -= held;
            }

            return Task.FromResult(new BudgetRelease(held, Snapshots(on)));
        }
    }

    private (Amount Held, List<Account> On) Take(string reservationId) =>
        _holds.Remove(reservationId, out var hold) ? hold : throw new BudgetApiException(404, "Not Found", $"Reservation '{reservationId}' does not exist.");

    private static Amount Explicit(AmountSpec spec) => spec as ExplicitAmount is { } e
        ? e.Amount
        : throw new NotSupportedException($"The offline budget service prices nothing; got {spec.GetType().Name}. Wrap it with WithLocalPricing(pricer).");

    private static IReadOnlyList<BudgetSnapshot> Snapshots(IEnumerable<Account> accounts) => [.. accounts.Select(a => a.Snapshot())];

    private sealed class Account(OfflineBudget budget)
    {
        public OfflineBudget Budget { get; } = budget;

        public Amount Spent { get; set; } = Amount.Zero;

        public Amount Reserved { get; set; } = Amount.Zero;

        public bool Applies(IReadOnlyDictionary<string, string> attributes) =>
            Budget.Scope.All(s => attributes.TryGetValue(s.Key, out var value) && value == s.Value);

        /// <summary>The largest fraction of a limit that spent + reserved + <paramref name="more"/> would use.</summary>
        public decimal UtilizationWith(Amount more)
        {
            var used = Spent + Reserved + more;
            return Math.Max(
                Budget.CostLimit is { } cost ? used.Cost / cost : 0m,
                Budget.TokenLimit is { } tokens ? (decimal)used.Tokens / tokens : 0m);
        }

        public BudgetSnapshot Snapshot()
        {
            var utilization = UtilizationWith(Amount.Zero);
            var state = utilization >= 1m ? BudgetState.Blocked : utilization >= Budget.DowngradeFrom ? BudgetState.Throttled : BudgetState.Ok;
            return new BudgetSnapshot(Budget.Id, state,
                Metric(Budget.CostLimit, Spent.Cost, Reserved.Cost),
                Metric(Budget.TokenLimit, Spent.Tokens, Reserved.Tokens),
                Metric(null, Spent.Operations, Reserved.Operations),
                null);
        }

        private static MetricStatus Metric(decimal? limit, decimal spent, decimal reserved) =>
            new(limit, spent, reserved, limit - spent - reserved, limit is { } l && l > 0 ? (spent + reserved) / l : null);
    }
}
