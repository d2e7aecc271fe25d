namespace BudgetActors.Alerts;

/// <summary>
/// The outbox in this process's memory (storage <c>memory</c>): the same rules as the PostgreSQL
/// outbox — one delivery per (tenant, message id), leases, attempts — lost when the process ends.
/// </summary>
public sealed class InMemoryAlertOutbox(OutboxSignal signal, TimeProvider time) : IAlertOutbox, IDeliveryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string MessageId), Entry> _entries = [];
    private long _lastId;

    public InMemoryAlertOutbox()
        : this(new OutboxSignal(), TimeProvider.System)
    {
    }

    public Task EnqueueAsync(IReadOnlyList<DeliveryRequest> requests, CancellationToken cancellationToken = default)
    {
        foreach (var request in requests)
        {
            request.EnsureValid();
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var request in requests)
            {
                _entries.TryAdd((request.Tenant, request.MessageId), new Entry(++_lastId, request, now));
            }
        }

        signal.Notify();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeliveryRecord>> ListAsync(string tenant, string alertId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DeliveryRecord> records =
            [
                .. _entries.Values
                    .Where(e => e.Request.Tenant == tenant && e.Request.AlertId == alertId)
                    .OrderBy(e => e.Id)
                    .Select(e => e.ToRecord()),
            ];
            return Task.FromResult(records);
        }
    }

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        int max, IReadOnlyCollection<string> excludedTenants, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var due = _entries.Values
                .Where(e => e.Status == DeliveryStatus.Pending && e.NextAttemptAt <= now
                    && (e.ClaimedUntil is null || e.ClaimedUntil <= now)
                    && !excludedTenants.Contains(e.Request.Tenant))
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
                .Take(max)
                .ToList();
            var token = Guid.NewGuid();
            IReadOnlyList<ClaimedDelivery> claims =
            [
                .. due.Select(e =>
                {
                    e.Attempts++;
                    e.ClaimedUntil = leaseUntil;
                    e.ClaimToken = token;
                    e.UpdatedAt = now;
                    return new ClaimedDelivery(e.Id, token, e.Request, e.Attempts, leaseUntil, e.CreatedAt);
                }),
            ];
            return Task.FromResult(claims);
        }
    }

    public Task<bool> CompleteAsync(ClaimedDelivery claim, DeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Held(claim) is not { } entry)
            {
                return Task.FromResult(false);
            }

            entry.Status = completion.Status;
            entry.LastError = completion.Error ?? entry.LastError;
            entry.NextAttemptAt = completion.NextAttemptAt ?? entry.NextAttemptAt;
            entry.ClaimedUntil = null;
            entry.ClaimToken = null;
            entry.UpdatedAt = completion.At;
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(ClaimedDelivery claim, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Held(claim) is { } entry)
            {
                entry.Attempts--;
                entry.ClaimedUntil = null;
                entry.ClaimToken = null;
            }
        }

        signal.Notify();
        return Task.CompletedTask;
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var old = _entries.Where(e => e.Value.Status != DeliveryStatus.Pending && e.Value.UpdatedAt < before).Select(e => e.Key).ToList();
            foreach (var key in old)
            {
                _entries.Remove(key);
            }

            return Task.FromResult(old.Count);
        }
    }

    private Entry? Held(ClaimedDelivery claim) =>
        _entries.TryGetValue((claim.Request.Tenant, claim.Request.MessageId), out var entry) && entry.Id == claim.Id && entry.ClaimToken == claim.Token
            ? entry
            : null;

    private sealed class Entry(long id, DeliveryRequest request, DateTimeOffset now)
    {
        public long Id { get; } = id;
        public DeliveryRequest Request { get; } = request;
        public DateTimeOffset CreatedAt { get; } = now;
        public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;
        public int Attempts { get; set; }
        public string? LastError { get; set; }
        public DateTimeOffset NextAttemptAt { get; set; } = now;
        public DateTimeOffset? ClaimedUntil { get; set; }
        public Guid? ClaimToken { get; set; }
        public DateTimeOffset UpdatedAt { get; set; } = now;

        public DeliveryRecord ToRecord() =>
            new(Request.Tenant, Request.AlertId, Request.ChannelId, Request.MessageId, Status, Attempts, LastError, NextAttemptAt, CreatedAt, UpdatedAt);
    }
}
