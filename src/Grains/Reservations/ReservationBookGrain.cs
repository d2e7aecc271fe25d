using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace BudgetActors.Grains.Reservations;

/// <summary>
/// A share of one tenant's reservations (key <c>tenant/book-NN</c>, by a hash of the reservation id):
/// the <see cref="Reservation"/>s in use, in memory. A new reservation costs no grain activation and
/// no ledger read — one ledger write, and one turn per budget to hold and one to confirm — and a
/// tenant's reservations are spread over <see cref="ReservationBooks.PerTenant"/> grains, so that
/// they do not all queue behind one. One operation of a reservation runs at a time (a retry waits
/// for the attempt before it); reservations run side by side. A reservation leaves memory once it
/// is closed (committed, released, refused) and nobody waits for it, or once it expires; one used
/// again is read back from the ledger.
/// </summary>
[Reentrant]
public sealed class ReservationBookGrain(
    ISpendLedger ledger,
    TenantDirectoryCache directory,
    IAmountPricer pricer,
    Serializer serializer,
    TimeProvider clock,
    ILogger<ReservationBookGrain> logger) : Grain, IReservationBookGrain
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Slot> _reservations = new(StringComparer.Ordinal);
    private ReservationServices? _services;
    private IGrainTimer? _sweep;

    private string TenantId => BudgetKey.Split(this.GetPrimaryKeyString()).TenantId;

    public Task<ReserveResult> Reserve(string reservationId, ReserveCommand command) => Run(reservationId, r => r.Reserve(command));

    public Task<CommitResult> Commit(string reservationId, AmountSpec actual) => Run(reservationId, r => r.Commit(actual));

    public Task<ReleaseResult> Release(string reservationId) => Run(reservationId, r => r.Release());

    /// <summary>Runs one operation of a reservation, after any other operation of it still running.</summary>
    private async Task<T> Run<T>(string reservationId, Func<Reservation, Task<T>> operation)
    {
        if (!_reservations.TryGetValue(reservationId, out var slot))
        {
            _services ??= new ReservationServices(GrainFactory, ledger, directory, pricer, serializer, clock, logger);
            _reservations[reservationId] = slot = new Slot(new Reservation(TenantId, reservationId, _services));
        }

        slot.Users++;
        try
        {
            while (slot.Busy is { IsCompleted: false } busy)
            {
                await busy.ContinueWith(static _ => { }, TaskScheduler.Current); // its outcome is its caller's
            }

            var running = operation(slot.Reservation);
            slot.Busy = running;
            return await running;
        }
        finally
        {
            slot.Users--;
            if (slot.Idle(clock.GetUtcNow()))
            {
                // Closed, refused or expired, and nobody waits for it: a retry reads it back from the
                // ledger. Keeping closed reservations would hold every entry of the last minutes in memory.
                _reservations.Remove(reservationId);
            }
            else
            {
                _sweep ??= this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(SweepPeriod, SweepPeriod) { Interleave = true });
            }
        }
    }

    /// <summary>Lets go of reservations that expired unused; the ledger has them.</summary>
    private Task Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, slot) in _reservations.Where(r => r.Value.Idle(now)).ToList())
        {
            _reservations.Remove(id);
        }

        if (_reservations.Count == 0)
        {
            _sweep?.Dispose();
            _sweep = null;
        }

        return Task.CompletedTask;
    }

    private sealed class Slot(Reservation reservation)
    {
        public Reservation Reservation { get; } = reservation;

        public Task? Busy { get; set; }

        /// <summary>Operations of this reservation running or waiting to run (they share this slot).</summary>
        public int Users { get; set; }

        /// <summary>Nobody using it, and expired (or closed).</summary>
        public bool Idle(DateTimeOffset now) => Users == 0 && !Reservation.Open(now);
    }
}
