using Orleans.Core.Internal;

namespace BudgetActors.Grains.Tests.Infrastructure;

public static class Activations
{
    /// <summary>Makes a grain go away (as when its silo stops), so that its next call activates it again from storage and the ledger.</summary>
    public static async Task Deactivate(IAddressable grain)
    {
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(300); // deactivation completes after the call returns
    }
}
