using BudgetActors.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests.Fakes;

/// <summary>
/// An <see cref="IBudgetClient"/> that records every call and answers as the test says: granted by
/// default, or refused, or with a downgrade; commits can be made to fail a number of times.
/// </summary>
public sealed class RecordingBudgetClient : IBudgetClient
{
    private readonly Lock _gate = new();
    private readonly List<BudgetReservationRequest> _reservations = [];
    private readonly List<(string Tenant, string ReservationId, AmountSpec Actual)> _commits = [];
    private readonly List<(string Tenant, string ReservationId)> _releases = [];
    private int _next;

    /// <summary>How the next reservation is answered; the default grants with decision allow.</summary>
    public Func<BudgetReservationRequest, string, BudgetReservation> Answer { get; set; } = Grant;

    /// <summary>Commit attempts that throw <see cref="CommitError"/> before commits succeed.</summary>
    public int FailingCommits { get; set; }

    public Exception CommitError { get; set; } = new HttpRequestException("budget service unreachable");

    public int CommitAttempts { get; private set; }

    public IReadOnlyList<BudgetReservationRequest> Reservations { get { lock (_gate) { return [.. _reservations]; } } }

    public IReadOnlyList<(string Tenant, string ReservationId, AmountSpec Actual)> Commits { get { lock (_gate) { return [.. _commits]; } } }

    public IReadOnlyList<(string Tenant, string ReservationId)> Releases { get { lock (_gate) { return [.. _releases]; } } }

    public BudgetReservationRequest SingleReservation => Assert.Single(Reservations);

    public LlmEstimate SingleEstimate => Assert.IsType<LlmEstimate>(SingleReservation.Estimate);

    public LlmUsage SingleCommittedUsage => Assert.IsType<LlmUsage>(Assert.Single(Commits).Actual);

    public static BudgetReservation Grant(BudgetReservationRequest request, string id) =>
        new(true, id, DateTimeOffset.UtcNow + request.Ttl, Decision.Allow, null, null, [], Amount.Zero, []);

    public static Func<BudgetReservationRequest, string, BudgetReservation> Refuse(params string[] blockedBy) =>
        (_, _) => new BudgetReservation(false, null, null, Decision.Block, null, null, blockedBy, Amount.Zero, []);

    public static Func<BudgetReservationRequest, string, BudgetReservation> Downgrade(string to) =>
        (request, id) => Grant(request, id) with { Decision = Decision.Downgrade, DowngradeTo = to };

    public Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _reservations.Add(request);
            return Task.FromResult(Answer(request, $"res-{++_next}"));
        }
    }

    public Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            CommitAttempts++;
            if (FailingCommits > 0)
            {
                FailingCommits--;
                return Task.FromException<BudgetCommit>(CommitError);
            }

            _commits.Add((tenant, reservationId, actual));
            return Task.FromResult(new BudgetCommit(Amount.Zero, Amount.Zero, []));
        }
    }

    public Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _releases.Add((tenant, reservationId));
            return Task.FromResult(new BudgetRelease(Amount.Zero, []));
        }
    }
}
