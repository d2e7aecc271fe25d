using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

/// <summary>
/// Spend as the grains deliver it: ledger entries with growing sequence numbers, recorded at the
/// start of the account's period (so that applying one never moves the clock).
/// </summary>
internal static class LedgerEvents
{
    private static long _sequence;

    public static long NextSequence() => Interlocked.Increment(ref _sequence);

    public static SpendEvent Event(this BudgetAccount account, LedgerEntryKind kind, string? reservationId, Amount amount, DateTimeOffset? expiresAt = null) =>
        new(NextSequence(), kind, reservationId, amount, expiresAt, account.Period.Start);

    public static void Charge(this BudgetAccount account, Amount amount) =>
        account.Apply(account.Event(LedgerEntryKind.Usage, null, amount));

    public static bool Confirm(this BudgetAccount account, string reservationId, DateTimeOffset expiresAt) =>
        account.Apply(account.Event(LedgerEntryKind.Hold, reservationId, Amount.Zero, expiresAt));

    /// <summary>Releases a hold; returns what it held.</summary>
    public static Amount Release(this BudgetAccount account, string reservationId)
    {
        var held = account.Holds.TryGetValue(reservationId, out var hold) ? hold.Amount : Amount.Zero;
        account.Apply(account.Event(LedgerEntryKind.Release, reservationId, Amount.Zero));
        return held;
    }

    /// <summary>Commits a reservation; returns what its hold held.</summary>
    public static Amount Commit(this BudgetAccount account, string reservationId, Amount actual)
    {
        var held = account.Holds.TryGetValue(reservationId, out var hold) ? hold.Amount : Amount.Zero;
        account.Apply(account.Event(LedgerEntryKind.Commit, reservationId, actual));
        return held;
    }
}
