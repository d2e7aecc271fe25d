namespace BudgetActors.Grains.Ledger;

public static class ResolvingAppend
{
    /// <summary>
    /// Appends an entry; when the ledger fails without saying whether the entry is durable (the
    /// connection dropped around the commit), reads its key back first, so that the ledger's answer
    /// wins over a guess. Only when even that cannot be read is the caller told the outcome is unknown.
    /// </summary>
    /// <exception cref="OutcomeUnknownException">Neither the append nor the read-back answered.</exception>
    public static async Task<AppendResult> AppendOrFindAsync(this ISpendLedger ledger, LedgerEntry entry)
    {
        try
        {
            return await ledger.AppendAsync(entry);
        }
        catch (LedgerUnavailableException failure)
        {
            LedgerRecord? stored;
            try
            {
                stored = await ledger.FindAsync(entry.TenantId, entry.EntryKey);
            }
            catch (LedgerUnavailableException)
            {
                stored = null;
            }

            // Not found is not "not written" either: a write in flight may still commit. Both ask for a retry.
            return stored is not null
                ? new AppendResult(stored, Duplicate: stored.Entry.Fingerprint != entry.Fingerprint || stored.Entry.Kind != entry.Kind)
                : throw new OutcomeUnknownException(
                    "The ledger did not confirm the write and could not be asked whether it landed; retry with the same idempotency key.", failure);
        }
    }
}
