namespace BudgetActors.Grains.Ledger;

/// <summary>
/// What every ledger accepts and how it keeps an entry, so that the in-memory ledger answers
/// exactly what PostgreSQL would: an entry it cannot store exactly is refused before it joins a
/// batch (one bad entry must not fail the others sharing its transaction).
/// </summary>
internal static class LedgerEntryRules
{
    // numeric(28,6) keeps 22 digits before the point.
    private static readonly decimal CostBound = 10_000_000_000_000_000_000_000m;

    /// <exception cref="ArgumentException">The entry cannot be stored as given.</exception>
    public static void Validate(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        RequireText(entry.TenantId, nameof(entry.TenantId));
        RequireText(entry.EntryKey, nameof(entry.EntryKey));
        if (!Enum.IsDefined(entry.Kind))
        {
            throw new ArgumentException($"Unknown ledger entry kind {(short)entry.Kind}.", nameof(entry));
        }

        if (entry.ReservationId is not null)
        {
            RequireText(entry.ReservationId, nameof(entry.ReservationId));
        }

        if (entry.BudgetIds.IsDefault)
        {
            throw new ArgumentException("BudgetIds is a default ImmutableArray; use ImmutableArray<string>.Empty for none.", nameof(entry));
        }

        var budgets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var budget in entry.BudgetIds)
        {
            RequireText(budget, nameof(entry.BudgetIds));
            if (!budgets.Add(budget))
            {
                throw new ArgumentException($"Budget '{budget}' is listed twice.", nameof(entry));
            }
        }

        ArgumentNullException.ThrowIfNull(entry.Attributes, nameof(entry.Attributes));
        foreach (var (name, value) in entry.Attributes)
        {
            RequireNoNul(name, nameof(entry.Attributes));
            ArgumentNullException.ThrowIfNull(value, nameof(entry.Attributes));
            RequireNoNul(value, nameof(entry.Attributes));
        }

        ArgumentNullException.ThrowIfNull(entry.Amount, nameof(entry.Amount));
        var cost = entry.Amount.Cost;
        if (Amount.RoundCost(cost) != cost || Math.Abs(cost) >= CostBound)
        {
            throw new ArgumentException(
                $"Cost {cost} does not fit numeric(28,6): at most {Amount.CostScale} decimal places and 22 digits before the point.", nameof(entry));
        }

        if (!entry.Epochs.IsDefaultOrEmpty && entry.Epochs.Length != entry.BudgetIds.Length)
        {
            throw new ArgumentException("Epochs, when given, has one epoch per budget.", nameof(entry));
        }

        if (entry.Detail is { } detail)
        {
            ArgumentNullException.ThrowIfNull(detail.Components, nameof(entry.Detail));
            if (detail.Model is not null)
            {
                RequireNoNul(detail.Model, nameof(entry.Detail));
            }
        }

        ArgumentNullException.ThrowIfNull(entry.Fingerprint, nameof(entry.Fingerprint));
        RequireNoNul(entry.Fingerprint, nameof(entry.Fingerprint));
    }

    /// <summary>
    /// The entry as it reads back from PostgreSQL: times in UTC, to the microsecond (timestamptz's
    /// precision), attributes in ordinal order, and an outcome the caller can no longer change.
    /// </summary>
    public static LedgerEntry Normalize(LedgerEntry entry) => entry with
    {
        Attributes = entry.Attributes.WithComparers(StringComparer.Ordinal),
        RecordedAt = ToStoredTime(entry.RecordedAt),
        ExpiresAt = entry.ExpiresAt is { } expires ? ToStoredTime(expires) : null,
        Outcome = entry.Outcome?.ToArray(),
        Epochs = entry.Epochs.IsDefault ? [] : entry.Epochs,
    };

    public static DateTimeOffset ToStoredTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
    }

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"{name} must not be empty.", name);
        }

        RequireNoNul(value, name);
    }

    // PostgreSQL's text and jsonb cannot hold the NUL character.
    private static void RequireNoNul(string value, string name)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException($"{name} contains a NUL character, which PostgreSQL cannot store.", name);
        }
    }
}
