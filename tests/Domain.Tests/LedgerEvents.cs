namespace BudgetActors.Domain.Tests;

/// <summary>
/// Spend as the grains deliver it: ledger entries with growing sequence numbers, recorded at the
/// start of the account's period (so that applying one never moves the clock), and reservations that
/// take a tentative hold and then have their hold entry applied, as the reservation protocol does.
/// </summary>
internal static class LedgerEvents
{
    private static long _sequence;
    private static readonly Dictionary<string, long> HoldSequences = [];

    public static long NextSequence() => Interlocked.Increment(ref _sequence);

    public static void Charge(this BudgetAccount account, Amount amount) =>
        account.Apply(new SpendEvent(NextSequence(), LedgerEntryKind.Usage, null, amount, null, account.Period.Start));

    /// <summary>A tentative hold only: its entry is not written yet.</summary>
    public static HoldDecision TryHold(this BudgetAccount account, string reservationId, Amount amount, int priority = 0, DateTimeOffset? expiresAt = null) =>
        account.TryHold(new HoldRequest(reservationId, amount, priority, expiresAt ?? account.Period.Start.AddMinutes(5)), account.Period.Start.AddSeconds(30)).Decision;

    /// <summary>The hold entry of a reservation, in the account's current epoch: the tentative hold becomes firm (or the hold is restored).</summary>
    public static ApplyOutcome Confirm(this BudgetAccount account, string reservationId, Amount amount, DateTimeOffset expiresAt, long? epoch = null)
    {
        var sequence = NextSequence();
        HoldSequences[reservationId] = sequence;
        return account.Apply(new SpendEvent(sequence, LedgerEntryKind.Hold, reservationId, amount, expiresAt, account.Period.Start, Epoch: epoch ?? account.Epoch));
    }

    /// <summary>A reservation granted end to end: tentative hold, then its entry.</summary>
    public static HoldDecision Reserve(this BudgetAccount account, string reservationId, Amount amount, int priority = 0, DateTimeOffset? expiresAt = null)
    {
        var expiry = expiresAt ?? account.Period.Start.AddMinutes(5);
        var decision = account.TryHold(reservationId, amount, priority, expiry);
        if (decision == HoldDecision.Granted)
        {
            account.Confirm(reservationId, amount, expiry);
        }

        return decision;
    }

    /// <summary>Releases a hold; returns what it held.</summary>
    public static Amount Release(this BudgetAccount account, string reservationId)
    {
        var held = account.Holds.TryGetValue(reservationId, out var hold) ? hold.Amount : Amount.Zero;
        account.Apply(new SpendEvent(NextSequence(), LedgerEntryKind.Release, reservationId, Amount.Zero, null, account.Period.Start, HoldSequences.GetValueOrDefault(reservationId)));
        return held;
    }

    /// <summary>Commits a reservation; returns what its hold held.</summary>
    public static Amount Commit(this BudgetAccount account, string reservationId, Amount actual)
    {
        var held = account.Holds.TryGetValue(reservationId, out var hold) ? hold.Amount : Amount.Zero;
        account.Apply(new SpendEvent(NextSequence(), LedgerEntryKind.Commit, reservationId, actual, null, account.Period.Start, HoldSequences.GetValueOrDefault(reservationId)));
        return held;
    }
}
