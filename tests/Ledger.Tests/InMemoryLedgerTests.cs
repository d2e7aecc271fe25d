using BudgetActors.Grains.Ledger;

namespace BudgetActors.Ledger.Tests;

public sealed class InMemoryLedgerTests : LedgerBehaviourTests
{
    protected override ISpendLedger Ledger { get; } = new InMemorySpendLedger();
}
