using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tenant's tiers (key: tenant id; the same activation as <see cref="ITenantGrain"/>, whose state
/// holds them and whose directory carries them to the check path). Changes apply to the subjects that
/// already have budgets at once: their budgets are updated, created or retired in the same write.
/// </summary>
[Alias("BudgetActors.ITenantTierGrain")]
public interface ITenantTierGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a tier; the budgets of its subjects follow.</summary>
    [Alias("PutTier"), ResponseTimeout(TenantChanges.Timeout)]
    Task<PutTierResult> PutTier(TierDefinition tier);

    /// <summary>
    /// False when there is no such tier. Conflict while the tier is the tenant's default tier or
    /// subjects are assigned to it.
    /// </summary>
    [Alias("DeleteTier"), ResponseTimeout(TenantChanges.Timeout)]
    Task<bool> DeleteTier(string tierId);

    /// <summary>The subjects on a tier (assigned to it, or with its budgets), ordered by value, after <paramref name="after"/>.</summary>
    [Alias("ListSubjects")]
    Task<SubjectPage> ListSubjects(string tierId, string? after, int limit);

    /// <summary>Puts a subject on a tier (created: it had no assignment); a subject that has budgets swaps them at once.</summary>
    [Alias("AssignSubject"), ResponseTimeout(TenantChanges.Timeout)]
    Task<AssignResult> AssignSubject(string subject, string value, string tierId);

    /// <summary>Removes a subject's assignment: it falls back to the default tier, or to none. False when it had none.</summary>
    [Alias("UnassignSubject"), ResponseTimeout(TenantChanges.Timeout)]
    Task<bool> UnassignSubject(string subject, string value);

    [Alias("GetSubject")]
    Task<SubjectInfo> GetSubject(string subject, string value);

    /// <summary>Sets (null: clears) the tenant's default tier; subjects on the default swap their budgets at once.</summary>
    [Alias("SetDefaultTier"), ResponseTimeout(TenantChanges.Timeout)]
    Task<TenantInfo> SetDefaultTier(string? tierId);

    /// <summary>
    /// Gives a subject its tier's budgets if it does not have them yet, exactly once however many
    /// callers ask at once: the answer comes once they are stored, their grains defined and no cache
    /// serves a directory without them. The directory version that has them (or the current one when
    /// the subject has no tier).
    /// </summary>
    [Alias("InstantiateSubject"), ResponseTimeout(TenantChanges.Timeout)]
    Task<long> InstantiateSubject(string subject, string value);
}
