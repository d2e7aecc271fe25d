using BudgetActors.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests.Fakes;

/// <summary>
/// An <see cref="IBudgetClient"/> that records every call and answers as the test says: granted by
/// default, or refused, or with a downgrade; commits and releases can be made to fail a number of times.
/// Like the service, it answers a reservation retried with the same idempotency key with the first
/// answer (same reservation, no second hold), and it can hold the answer back as a request in flight.
/// </summary>
public sealed class RecordingBudgetClient : IBudgetClient
{
    private readonly Lock _gate = new();
    private readonly List<BudgetReservationRequest> _reservations = [];
    private readonly List<(string Tenant, string ReservationId, AmountSpec Actual)> _commits = [];
    private readonly List<(string Tenant, string ReservationId)> _releases = [];
    private readonly List<string> _granted = [];
    private readonly List<string> _log = [];
    private readonly Dictionary<string, BudgetReservation> _byKey = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>How the next reservation is answered; the default grants with decision allow.</summary>
    public Func<BudgetReservationRequest, string, BudgetReservation> Answer { get; set; } = Grant;

    /// <summary>
    /// Runs after a new reservation was decided (and, if granted, held) and before its answer is returned,
    /// with the token the caller passed: what it throws, or a cancellation, is what the caller gets instead
    /// of the answer — the service has decided all the same. Retries of a known key answer at once.
    /// </summary>
    public Func<BudgetReservationRequest, CancellationToken, Task>? InFlight { get; set; }

    /// <summary>Commit attempts that throw <see cref="CommitError"/> before commits succeed.</summary>
    public int FailingCommits { get; set; }

    public Exception CommitError { get; set; } = new HttpRequestException("budget service unreachable");

    public int CommitAttempts { get; private set; }

    /// <summary>Release attempts that throw <see cref="HttpRequestException"/> before releases succeed.</summary>
    public int FailingReleases { get; set; }

    public int ReleaseAttempts { get; private set; }

    /// <summary>Every reservation request received, retries included.</summary>
    public IReadOnlyList<BudgetReservationRequest> Reservations { get { lock (_gate) { return [.. _reservations]; } } }

    public IReadOnlyList<(string Tenant, string ReservationId, AmountSpec Actual)> Commits { get { lock (_gate) { return [.. _commits]; } } }

    public IReadOnlyList<(string Tenant, string ReservationId)> Releases { get { lock (_gate) { return [.. _releases]; } } }

    /// <summary>Granted reservations neither committed nor released: holds that would stay until they expire.</summary>
    public IReadOnlyList<string> OpenHolds
    {
        get
        {
            lock (_gate)
            {
                return [.. _granted.Except(_commits.Select(c => c.ReservationId)).Except(_releases.Select(r => r.ReservationId))];
            }
        }
    }

    /// <summary>What happened, in order: "reserve res-1", "release res-1", "commit res-2" (successful calls only).</summary>
    public IReadOnlyList<string> Log { get { lock (_gate) { return [.. _log]; } } }

    public BudgetReservationRequest SingleReservation => Assert.Single(Reservations);

    public LlmEstimate SingleEstimate => Assert.IsType<LlmEstimate>(SingleReservation.Estimate);

    public LlmUsage SingleCommittedUsage => Assert.IsType<LlmUsage>(Assert.Single(Commits).Actual);

    public static BudgetReservation Grant(BudgetReservationRequest request, string id) =>
        new(true, id, DateTimeOffset.UtcNow + request.Ttl, Decision.Allow, null, null, [], Amount.Zero, []);

    public static Func<BudgetReservationRequest, string, BudgetReservation> Refuse(params string[] blockedBy) =>
        (_, _) => new BudgetReservation(false, null, null, Decision.Block, null, null, blockedBy, Amount.Zero, []);

    public static Func<BudgetReservationRequest, string, BudgetReservation> Downgrade(string to) =>
        (request, id) => Grant(request, id) with { Decision = Decision.Downgrade, DowngradeTo = to };

    /// <summary>The model a reservation is estimated for.</summary>
    public static string ModelOf(BudgetReservationRequest request) => Assert.IsType<LlmEstimate>(request.Estimate).Model;

    public async Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        BudgetReservation? known;
        BudgetReservation answer;
        lock (_gate)
        {
            _reservations.Add(request);
            known = request.IdempotencyKey is { } k && _byKey.TryGetValue(k, out var first) ? first : null;
            answer = known ?? Answer(request, $"res-{++_next}");
            if (known is null)
            {
                if (request.IdempotencyKey is { } key)
                {
                    _byKey[key] = answer;
                }

                if (answer.Granted)
                {
                    _granted.Add(answer.ReservationId!);
                    _log.Add("reserve " + answer.ReservationId);
                }
            }
        }

        if (known is null && InFlight is { } inFlight)
        {
            await inFlight(request, cancellationToken);
        }

        return answer;
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
            _log.Add("commit " + reservationId);
            return Task.FromResult(new BudgetCommit(Amount.Zero, Amount.Zero, []));
        }
    }

    public Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ReleaseAttempts++;
            if (FailingReleases > 0)
            {
                FailingReleases--;
                return Task.FromException<BudgetRelease>(new HttpRequestException("budget service unreachable"));
            }

            _releases.Add((tenant, reservationId));
            _log.Add("release " + reservationId);
            return Task.FromResult(new BudgetRelease(Amount.Zero, []));
        }
    }
}
