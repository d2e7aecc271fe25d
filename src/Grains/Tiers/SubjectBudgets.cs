using BudgetActors.Grains.Directory;

namespace BudgetActors.Grains.Tiers;

/// <summary>
/// The tier hook of admission (<see cref="Admission.BudgetAdmission"/>): before a check, a reservation
/// or a usage is decided, every subject it carries that has a tier has that tier's budgets. For a
/// subject that has them — every request after its first — this is a lookup in the cached directory
/// and nothing else. For a new one it asks the tenant grain to make them, which answers once they are
/// stored, their grains defined and every cached directory dropped, then reads the directory again:
/// the budgets then apply to this request wherever it is decided (here, or in a reservation book or
/// usage recorder on another silo), so no first request is admitted unbudgeted.
/// </summary>
public sealed class SubjectBudgets(IGrainFactory grains, TenantDirectoryCache directory)
{
    // The directory is read again until it has the new budgets; a tier changed meanwhile can undo a
    // subject's instantiation, and then the request goes on with the directory as it is.
    private const int MaxRounds = 4;

    /// <summary>The view to decide the request with: <paramref name="view"/> itself unless a subject was new.</summary>
    public ValueTask<TenantView> ReadyAsync(TenantView view, IReadOnlyDictionary<string, string> attributes) =>
        view.Tiers.Missing(attributes) is null
            ? ValueTask.FromResult(view)
            : new ValueTask<TenantView>(Instantiate(view, attributes));

    private async Task<TenantView> Instantiate(TenantView view, IReadOnlyDictionary<string, string> attributes)
    {
        var tenant = grains.GetGrain<ITenantTierGrain>(view.Tenant.Id);
        for (var round = 0; round < MaxRounds && view.Tiers.Missing(attributes) is { } missing; round++)
        {
            var version = 0L;
            foreach (var (subject, value) in missing)
            {
                version = Math.Max(version, await tenant.InstantiateSubject(subject, value));
            }

            // The tenant grain answered after every cache dropped the directory without them, so this
            // read has them; a copy older than the answer (never expected) is dropped and read again.
            view = await Read(view.Tenant.Id);
            if (view.Directory.Version < version)
            {
                await directory.Invalidate(view.Tenant.Id);
                view = await Read(view.Tenant.Id);
            }
        }

        return view;
    }

    private async Task<TenantView> Read(string tenantId) =>
        await directory.RequireAsync(tenantId);
}
