using BudgetActors.Grains.Directory;

namespace BudgetActors.Grains;

/// <summary>One recorded usage, keyed by its idempotency key: charged to every applicable budget once.</summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class UsageGrain(
    [PersistentState("usage", StorageNames.Grains)] IPersistentState<UsageState> storage,
    TenantDirectoryCache directory) : Grain, IUsageGrain
{
    public async Task<UsageResult> Record(UsageCommand command)
    {
        var state = storage.State;
        if (state.Fingerprint is not null)
        {
            return state.Fingerprint == command.Fingerprint
                ? state.Result! with { Duplicate = true }
                : throw new BudgetActorsException(ProblemKind.Conflict,
                    "This idempotency key was already used for a usage with a different body.");
        }

        var tenantId = BudgetKey.Split(this.GetPrimaryKeyString()).TenantId;
        var view = await directory.GetAsync(tenantId) ?? throw BudgetActorsException.TenantNotFound(tenantId);
        var statuses = await Task.WhenAll(view.Scopes.Applicable(command.Attributes)
            .Select(id => GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(tenantId, id)).Charge(command.Actual)));

        state.Fingerprint = command.Fingerprint;
        state.Result = new UsageResult(false, command.Actual, [.. statuses.OfType<BudgetStatus>()]);
        await storage.WriteStateAsync();
        return state.Result;
    }
}
