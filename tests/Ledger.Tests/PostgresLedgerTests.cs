using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerTests(PostgresFixture database) : LedgerBehaviourTests, IAsyncLifetime
{
    private readonly PostgresSpendLedger ledger = new(database.ConnectionString);

    protected override ISpendLedger Ledger => ledger;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ledger.DisposeAsync();
}
