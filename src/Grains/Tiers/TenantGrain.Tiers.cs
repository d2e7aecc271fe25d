using System.Collections.Immutable;
using BudgetActors.Domain;
using BudgetActors.Grains.Tiers;

namespace BudgetActors.Grains;

/// <summary>
/// Tiers: budgets created on a subject's first request. A tier is a set of budget templates for the
/// values of one attribute; a subject (<c>user: carol</c>) is on the tier it is assigned to, else on the
/// tenant's default tier when that tier is of its attribute. Its budgets are ordinary budgets of the
/// directory (id <c>{tier}.{name}.{value}</c>, scope <c>{ attribute: value }</c>, marked with their
/// tier), made by <see cref="InstantiateSubject"/> before its first request is admitted, and kept in
/// step with its tier by every change here: a changed template updates them, a changed tier swaps them.
/// Each change is one write of the tenant's state, like any other (see <see cref="Change{T}"/>).
/// </summary>
public sealed partial class TenantGrain : ITenantTierGrain
{
    // The instantiation under way for each subject: concurrent first requests wait for the one write.
    private readonly Dictionary<string, Task<long>> _instantiating = new(StringComparer.Ordinal);

    public async Task<PutTierResult> PutTier(TierDefinition tier)
    {
        RequireTenant();
        tier = tier with
        {
            Budgets = tier.Budgets.IsDefault ? [] : [.. tier.Budgets.OrderBy(b => b.Id, StringComparer.Ordinal)],
            UpdatedAt = clock.GetUtcNow(),
        };
        BudgetActorsException.ThrowIfAny(TierRules.Validate(tier));
        foreach (var template in tier.Budgets)
        {
            await RequireChannels(template.Alerts);
        }

        var changes = new TierChanges();
        var result = await Change(state =>
        {
            var book = state.Tiers;
            var created = !book.Tiers.TryGetValue(tier.Id, out var previous);
            if (previous is not null && previous.Subject != tier.Subject && InUse(state, tier.Id))
            {
                throw new BudgetActorsException(ProblemKind.Conflict,
                    $"Tier '{tier.Id}' is in use for '{previous.Subject}' subjects: its subject cannot change (make a new tier).");
            }

            book.Tiers[tier.Id] = tier;
            foreach (var key in book.Instantiated.Where(i => i.Value == tier.Id).Select(i => i.Key).ToList())
            {
                Move(state, key, previous, tier, changes);
            }

            return new PutTierResult(created, tier, changes.Subjects);
        }, afterWrite: version => changes.Apply(Budget, version));

        await Audit(AuditEventTypes.TierUpdated, null, new { tier = tier.Id, change = result.Created ? "created" : "replaced", subject = tier.Subject, budgets = tier.Budgets, subjectsChanged = result.SubjectsChanged });
        await changes.Record(Audit, $"tier {tier.Id} changed");
        return result;
    }

    public async Task<bool> DeleteTier(string tierId)
    {
        RequireTenant();
        if (!_stored.Tiers.Tiers.ContainsKey(tierId))
        {
            return false;
        }

        var changes = new TierChanges();
        await Change(state =>
        {
            if (state.Info?.DefaultTier == tierId)
            {
                throw new BudgetActorsException(ProblemKind.Conflict, $"Tier '{tierId}' is the tenant's default tier: choose another first (PATCH /v1/tenants/{TenantId}).");
            }

            var assigned = state.Tiers.Assigned.Count(a => a.Value == tierId);
            if (assigned > 0)
            {
                throw new BudgetActorsException(ProblemKind.Conflict, $"Tier '{tierId}' has {assigned} subject(s) assigned to it: assign them elsewhere first.");
            }

            var tier = state.Tiers.Tiers[tierId];
            foreach (var key in state.Tiers.Instantiated.Where(i => i.Value == tierId).Select(i => i.Key).ToList())
            {
                Move(state, key, tier, null, changes); // none should be left (their tier was the default or assigned), but never orphans
            }

            return state.Tiers.Tiers.Remove(tierId);
        }, afterWrite: version => changes.Apply(Budget, version));

        await Audit(AuditEventTypes.TierUpdated, null, new { tier = tierId, change = "deleted" });
        await changes.Record(Audit, $"tier {tierId} deleted");
        return true;
    }

    public Task<SubjectPage> ListSubjects(string tierId, string? after, int limit)
    {
        RequireTenant();
        var tier = _stored.Tiers.Tiers.GetValueOrDefault(tierId) ?? throw BudgetActorsException.NotFound($"Tier '{tierId}'");
        var book = _stored.Tiers;
        var prefix = tier.Subject + "/";

        // Subjects on the tier: assigned to it, or with its budgets (those on the default tier have them once they were seen).
        var values = book.Assigned.Where(a => a.Value == tierId).Select(a => a.Key)
            .Concat(book.Instantiated.Where(i => i.Value == tierId).Select(i => i.Key))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => SubjectKeys.Split(k).Value)
            .Where(v => after is null || string.CompareOrdinal(v, after) > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var page = values.Take(limit).Select(v => Describe(_stored, tier.Subject, v)).ToImmutableArray();
        return Task.FromResult(new SubjectPage(page, values.Count > limit ? values[limit - 1] : null));
    }

    public async Task<AssignResult> AssignSubject(string subject, string value, string tierId)
    {
        RequireTenant();
        var errors = TierRules.ValidateSubject(subject, value);
        var tier = _stored.Tiers.Tiers.GetValueOrDefault(tierId);
        if (tier is null)
        {
            errors.Add("tier", $"No tier '{tierId}': create it first (PUT /v1/tenants/{TenantId}/tiers/{tierId}).");
        }
        else if (tier.Subject != subject)
        {
            errors.Add("tier", $"Tier '{tierId}' is for '{tier.Subject}' subjects, not '{subject}'.");
        }

        BudgetActorsException.ThrowIfAny(errors);
        var key = SubjectKeys.Of(subject, value);
        var changes = new TierChanges();
        string? previous = null;
        var result = await Change(state =>
        {
            var book = state.Tiers;
            var target = book.Tiers.GetValueOrDefault(tierId) ?? throw BudgetActorsException.NotFound($"Tier '{tierId}'"); // deleted meanwhile
            previous = book.Assigned.GetValueOrDefault(key);
            book.Assigned[key] = tierId;
            if (book.Instantiated.TryGetValue(key, out var had) && had != tierId)
            {
                Move(state, key, book.Tiers.GetValueOrDefault(had), target, changes);
            }

            return new AssignResult(previous is null, Describe(state, subject, value));
        }, afterWrite: version => changes.Apply(Budget, version));

        await Audit(AuditEventTypes.TierUpdated, null, new { tier = tierId, change = "subject-assigned", subject, id = value, previous });
        await changes.Record(Audit, $"{subject} {value} assigned to tier {tierId}");
        return result;
    }

    public async Task<bool> UnassignSubject(string subject, string value)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TierRules.ValidateSubject(subject, value));
        var key = SubjectKeys.Of(subject, value);
        if (!_stored.Tiers.Assigned.TryGetValue(key, out var previous))
        {
            return false;
        }

        var changes = new TierChanges();
        await Change(state =>
        {
            var book = state.Tiers;
            book.Assigned.Remove(key);
            var now = TierOf(state, subject, value);
            if (book.Instantiated.TryGetValue(key, out var had) && had != now?.Id)
            {
                Move(state, key, book.Tiers.GetValueOrDefault(had), now, changes);
            }

            return 0;
        }, afterWrite: version => changes.Apply(Budget, version));

        await Audit(AuditEventTypes.TierUpdated, null, new { tier = previous, change = "subject-unassigned", subject, id = value });
        await changes.Record(Audit, $"{subject} {value} unassigned from tier {previous}");
        return true;
    }

    public Task<SubjectInfo> GetSubject(string subject, string value)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TierRules.ValidateSubject(subject, value));
        return Task.FromResult(Describe(_stored, subject, value));
    }

    public async Task<TenantInfo> SetDefaultTier(string? tierId)
    {
        RequireTenant();
        if (tierId is not null && !_stored.Tiers.Tiers.ContainsKey(tierId))
        {
            throw BudgetActorsException.Invalid("defaultTier", $"No tier '{tierId}': create it first (PUT /v1/tenants/{TenantId}/tiers/{tierId}).");
        }

        var changes = new TierChanges();
        string? previous = null;
        var info = await Change(state =>
        {
            var book = state.Tiers;
            if (tierId is not null && !book.Tiers.ContainsKey(tierId))
            {
                throw BudgetActorsException.NotFound($"Tier '{tierId}'"); // deleted meanwhile
            }

            previous = state.Info!.DefaultTier;
            state.Info = state.Info with { DefaultTier = tierId };

            // Subjects on the old default (not assigned) move to the new one, or lose their tier's budgets.
            foreach (var (key, had) in book.Instantiated.ToList())
            {
                var (subject, value) = SubjectKeys.Split(key);
                var now = TierOf(state, subject, value);
                if (had != now?.Id)
                {
                    Move(state, key, book.Tiers.GetValueOrDefault(had), now, changes);
                }
            }

            return state.Info;
        }, afterWrite: version => changes.Apply(Budget, version));

        await Audit(AuditEventTypes.TenantUpdated, null, new { change = "default-tier", defaultTier = tierId, previous, subjectsChanged = changes.Subjects });
        await changes.Record(Audit, $"default tier {tierId ?? "(none)"}");
        return info;
    }

    public async Task<long> InstantiateSubject(string subject, string value)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TierRules.ValidateSubject(subject, value));
        var key = SubjectKeys.Of(subject, value);
        if (_stored.Tiers.Instantiated.ContainsKey(key) || TierOf(_stored, subject, value) is null)
        {
            return _stored.Version; // a caller that routed with an older directory: the current one has what there is
        }

        if (_instantiating.TryGetValue(key, out var running))
        {
            return await running; // the first request of this subject is making them: the same write serves all
        }

        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _instantiating[key] = done.Task;
        try
        {
            var version = await Instantiate(subject, value, key);
            done.SetResult(version);
            return version;
        }
        catch (Exception e)
        {
            done.SetException(e);
            _ = done.Task.Exception; // observed: the waiters, if any, get it too
            throw;
        }
        finally
        {
            _instantiating.Remove(key);
        }
    }

    private async Task<long> Instantiate(string subject, string value, string key)
    {
        var changes = new TierChanges();
        string? tierId = null;
        await Change(state =>
        {
            if (!state.Tiers.Instantiated.ContainsKey(key) && TierOf(state, subject, value) is { } tier)
            {
                tierId = tier.Id;
                Move(state, key, null, tier, changes);
            }

            return 0;
        }, afterWrite: version => changes.Apply(Budget, version));

        await changes.Record(Audit, $"first request of {subject} {value} (tier {tierId})");
        return _stored.Version;
    }

    /// <summary>
    /// Moves one subject's budgets from one tier's templates to another's (either may be null) in
    /// <paramref name="state"/>, and notes it in <paramref name="changes"/>. Refused, with nothing
    /// changed, when a budget it needs exists and is not this subject's of that tier.
    /// </summary>
    private static void Move(TenantState state, string key, TierDefinition? from, TierDefinition? to, TierChanges changes)
    {
        var (subject, value) = SubjectKeys.Split(key);
        var move = TierBudgets.Move(from, to, value, state.Budgets);
        if (move.Conflicts.Count > 0)
        {
            throw new BudgetActorsException(ProblemKind.Conflict,
                $"Budget '{move.Conflicts[0]}' already exists and is not the budget of {subject} '{value}' on tier '{to?.Id}': delete or rename it first.");
        }

        foreach (var definition in move.Put)
        {
            state.Budgets[definition.Id] = definition;
        }

        foreach (var id in move.Retired)
        {
            state.Budgets.Remove(id);
        }

        if (to is null)
        {
            state.Tiers.Instantiated.Remove(key);
        }
        else
        {
            state.Tiers.Instantiated[key] = to.Id;
        }

        changes.Add(key, move);
    }

    /// <summary>The tier a subject is on: its assignment, else the default tier when that tier is of the subject's attribute.</summary>
    private static TierDefinition? TierOf(TenantState state, string subject, string value)
    {
        var book = state.Tiers;
        var tierId = book.Assigned.GetValueOrDefault(SubjectKeys.Of(subject, value)) ?? state.Info?.DefaultTier;
        return tierId is not null && book.Tiers.TryGetValue(tierId, out var tier) && tier.Subject == subject ? tier : null;
    }

    private static bool InUse(TenantState state, string tierId) =>
        state.Info?.DefaultTier == tierId
        || state.Tiers.Assigned.ContainsValue(tierId)
        || state.Tiers.Instantiated.ContainsValue(tierId);

    private static SubjectInfo Describe(TenantState state, string subject, string value)
    {
        var key = SubjectKeys.Of(subject, value);
        var book = state.Tiers;
        var budgets = book.Instantiated.TryGetValue(key, out var had) && book.Tiers.TryGetValue(had, out var tier)
            ? TierBudgets.IdsOf(tier, value).Where(state.Budgets.ContainsKey).ToImmutableArray()
            : [];
        return new SubjectInfo(subject, value, TierOf(state, subject, value)?.Id, book.Assigned.ContainsKey(key), budgets);
    }
}
