using System.Collections.Immutable;
using BudgetActors.Domain;
using BudgetActors.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans.Configuration;
using Orleans.Storage;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Budget snapshots stored by the version before the memory work (commit 2c40c40: a grain with
/// <c>[PersistentState("budget")]</c>, every collection of the account allocated, no
/// <see cref="BudgetSnapshot.RolloverDue"/>) still restore: read with the storage's own serializer,
/// and by a budget grain that finds one in its storage.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotCompatibilityTests(ClusterFixture fixture)
{
    private const string Paris = "Europe/Paris";

    // BudgetSnapshot { DefinitionVersion = 7, Account = "team-monthly" (team=search, monthly in Paris, limits 100 and
    // 5,000,000 tokens) in the period of March 2026: spent (12.5, 40,000, 9); firm holds r1 (3, 1,000, 1; expiring
    // 2026-03-14T10:26:53Z) and r2 (0.25, 0, 1; 09:31:53Z); two closed periods (February 2026: 80, 1,000, 20, Warning;
    // January 2026: 101, 2,000, 30, Blocked, limit 100 only); watermark 42; entries 44 and 47 applied above it; r9
    // closed before its hold (45); epoch 40; incarnation from 10; r7's hold not honoured (until 09:56:53Z) },
    // written by Orleans' binary serializer as the grain storage writes it.
    private const string LiveSnapshot =
        "ICDoIOhAGXRlYW0tbW9udGhseSEgAAMhQAl0ZWFtQQ1zZWFyY2jg4DEBMSzULh1TdHJpbmdDb21wYXJlcgADAQHgwQHgIegACUEZRXVyb3BlL1Bhcmlz4CHoQCEAAAAAAAAAAGQAAAAAAAAAYUBLTA" +
        "DBAeAh6EAhAAACAAAAAABLAAAAAAAAAEEhAAACAAAAAABaAAAAAAAAAEEhAAACAAAAAABkAAAAAAAAAOABAcEB4CGAAABNoK8w3giBAAAAAAAAAADgIegggADYkhkdd94IgQAAAAAAAAAA4CGAALCc" +
        "2nCP3giBAAAAAAAAAADg4CHoQCEAAAEAAAAAAH0AAAAAAAAAQSEAAAAAAAAAAECcAAAAAAAAQSEAAAAAAAAAAAkAAAAAAAAA4CE4AwADAQHgAQVBBXIxIOgg6EAhAAAAAAAAAAADAAAAAAAAAAFCHw" +
        "EF4CGAgFTONbSB3giBAAAAAAAAAADg4EAFcjIg6CDoQCEAAAIAAAAAABkAAAAAAAAAAQEBBeAhgIBK2oasgd4IgQAAAAAAAAAA4ODgIQAFIegggADYAXYcYd4IgQAAAAAAAAAA4CGAANiSGR133giB" +
        "AAAAAAAAAADgIehAIQAAAAAAAAAAUAAAAAAAAABBIQAAAAAAAAAA6AMAAAAAAABBIQAAAAAAAAAAFAAAAAAAAADgIehAIQAAAAAAAAAAZAAAAAAAAABhQEtMAMEB4AEF4CDoIIAAmDNTwEjeCIEAAA" +
        "AAAAAAAOAhgADYAXYcYd4IgQAAAAAAAAAA4CHoQCEAAAAAAAAAAGUAAAAAAAAAQSEAAAAAAAAAANAHAAAAAAAAQSEAAAAAAAAAAB4AAAAAAAAA4CHoQCEAAAAAAAAAAGQAAAAAAAAAwQHBAeABDeDg" +
        "AakhAAUBsQC94CE4AwADAQHgAQNBBXI5ALXgAaEBKSE4AwADAQHgAQNBBXI3IICAIOwEsIHeCIEAAAAAAAAAAODg4AEBAR3g";

    // The same budget retired at directory version 9: Retired = true, its history kept, no holds or markers.
    private const string RetiredSnapshot =
        "ICDoIOhAGXRlYW0tbW9udGhseSEgAAMhQAl0ZWFtQQ1zZWFyY2jg4DEBMSzULh1TdHJpbmdDb21wYXJlcgADAQHgwQHgIegACUEZRXVyb3BlL1Bhcmlz4CHoQCEAAAAAAAAAAGQAAAAAAAAAYUBLTA" +
        "DBAeAh6EAhAAACAAAAAABLAAAAAAAAAEEhAAACAAAAAABaAAAAAAAAAEEhAAACAAAAAABkAAAAAAAAAOABAcEB4CGAAABNoK8w3giBAAAAAAAAAADgIegggADYkhkdd94IgQAAAAAAAAAA4CGAALCc" +
        "2nCP3giBAAAAAAAAAADg4CHoQCEAAAEAAAAAAH0AAAAAAAAAQSEAAAAAAAAAAECcAAAAAAAAQSEAAAAAAAAAAAkAAAAAAAAA4CE4AwADAQHg4CEABSHoIIAA2AF2HGHeCIEAAAAAAAAAAOAhgADYkh" +
        "kdd94IgQAAAAAAAAAA4CHoQCEAAAAAAAAAAFAAAAAAAAAAQSEAAAAAAAAAAOgDAAAAAAAAQSEAAAAAAAAAABQAAAAAAAAA4CHoQCEAAAAAAAAAAGQAAAAAAAAAYUBLTADBAeABBeAg6CCAAJgzU8BI" +
        "3giBAAAAAAAAAADgIYAA2AF2HGHeCIEAAAAAAAAAAOAh6EAhAAAAAAAAAABlAAAAAAAAAEEhAAAAAAAAAADQBwAAAAAAAEEhAAAAAAAAAAAeAAAAAAAAAOAh6EAhAAAAAAAAAABkAAAAAAAAAMEBwQ" +
        "HgAQ3g4AGpIeAhOAMAAwEB4OABoQEpwQHgAQMBJeA=";

    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly DateTimeOffset MarchStart = new(2026, 2, 28, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MarchEnd = new(2026, 3, 31, 22, 0, 0, TimeSpan.Zero);

    private static readonly PeriodRecord February = new(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero), MarchStart,
        new Tally(80m, 1_000m, 20m), new Limits(100m, 5_000_000, null), BudgetState.Warning);

    private static readonly PeriodRecord January = new(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero), February.PeriodStart,
        new Tally(101m, 2_000m, 30m), new Limits(100m, null, null), BudgetState.Blocked);

    [Fact]
    public void A_snapshot_of_the_previous_version_restores_every_part_of_the_account()
    {
        var stored = Deserialize(LiveSnapshot);

        Assert.Equal((false, 7L, (DateTimeOffset?)null), (stored.Retired, stored.DefinitionVersion, stored.RolloverDue));
        var account = BudgetAccount.Restore(stored.Account!, At);
        Assert.Equal("team-monthly", account.Definition.Id);
        Assert.Equal("search", account.Definition.Scope["team"]);
        Assert.Equal(new PeriodSpec(PeriodType.Monthly, Paris), account.Definition.Period);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 8, 0, 0, TimeSpan.Zero), account.CreatedAt);
        Assert.Equal(new BudgetActors.Domain.Period(MarchStart, MarchEnd), account.Period);
        Assert.Equal(new Tally(12.5m, 40_000m, 9m), account.Spent);
        Assert.Equal(new Hold(new Amount(3m, 1000, 1), At.AddHours(1)), account.Holds["r1"]);
        Assert.Equal(new Hold(new Amount(0.25m, 0, 1), At.AddMinutes(5)), account.Holds["r2"]);
        Assert.Equal(new Tally(3.25m, 1_000m, 2m), account.Reserved);
        Assert.Equal(At.AddMinutes(5), account.NextExpiry);
        Assert.Equal(new[] { February, January }, account.History);
        Assert.Equal((42L, 40L, 10L), (account.Watermark, account.Epoch, account.IncarnationStart));
        Assert.Equal(new[] { 44L, 47L }, account.AppliedAbove);
        Assert.Equal(45L, Assert.Single(account.ClosedBeforeHold, c => c.Key == "r9").Value);
        Assert.Equal(At.AddMinutes(30), Assert.Single(account.NotHonoured, n => n.Key == "r7").Value);

        // And it behaves as that account: r9's hold entry does not come back, r7's is still not honoured,
        // entry 44 is not applied again, r2 expires on time.
        Assert.Equal(ApplyOutcome.Applied, account.Apply(new SpendEvent(45, LedgerEntryKind.Hold, "r9", new Amount(5m, 0, 1), At.AddHours(1), At, Epoch: 40)));
        Assert.False(account.Holds.ContainsKey("r9"));
        Assert.Equal(ApplyOutcome.HoldNotHonoured, account.Apply(new SpendEvent(43, LedgerEntryKind.Hold, "r7", new Amount(1m, 0, 1), At.AddMinutes(30), At, Epoch: 39)));
        Assert.Equal(ApplyOutcome.AlreadyApplied, account.Apply(new SpendEvent(44, LedgerEntryKind.Usage, null, new Amount(1m, 0, 1), null, At)));
        Assert.True(account.Advance(At.AddMinutes(5)));
        Assert.Equal(new[] { "r1" }, account.Holds.Keys);

        // Its snapshot, written again, reads back the same.
        var again = BudgetAccount.Restore(Deserialize(Serialize(new BudgetSnapshot { Account = stored.Account, DefinitionVersion = 7 })).Account!, At);
        Assert.Equal((again.Spent, again.Reserved, again.Watermark, again.Epoch), (new Tally(12.5m, 40_000m, 9m), new Tally(3.25m, 1_000m, 2m), 42L, 40L));
        Assert.Equal(new[] { "r1", "r2" }, again.Holds.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_retired_snapshot_of_the_previous_version_keeps_its_history()
    {
        var stored = Deserialize(RetiredSnapshot);

        Assert.Equal((true, 9L), (stored.Retired, stored.DefinitionVersion));
        Assert.Equal(new[] { February, January }, stored.Account!.History);
        Assert.Empty(stored.Account.Holds);
        Assert.Null(stored.Account.NotHonoured);
    }

    [Fact]
    public async Task A_budget_grain_that_finds_a_snapshot_of_the_previous_version_restores_rolls_over_and_registers_its_reminder()
    {
        var year = TestClock.JumpToLocal(Paris, 6, 1, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        var budget = tenant.Budget("team-monthly");
        await Storage().WriteStateAsync(BudgetGrain.StateName, budget.GetGrainId(), new GrainState<BudgetSnapshot>(Deserialize(LiveSnapshot)));

        var status = await budget.GetStatus();

        // March 2026 and every month after it closed at activation; r1 and r2 expired long ago.
        var juneStart = Calendar.Instant(Paris, new LocalDate(year, 6, 1));
        Assert.NotNull(status);
        Assert.Equal(juneStart, status.PeriodStart);
        Assert.Equal((0m, 0m), (status.Cost.Spent, status.Cost.Reserved));
        var history = await budget.GetHistory();
        Assert.Equal(juneStart, history[0].PeriodEnd);
        for (var i = 1; i < history.Length; i++)
        {
            Assert.Equal(history[i].PeriodEnd, history[i - 1].PeriodStart); // one closed period after another
        }

        var march = Assert.Single(history, p => p.PeriodStart == MarchStart);
        Assert.Equal((MarchEnd, new Tally(12.5m, 40_000m, 9m)), (march.PeriodEnd, march.Spent));
        Assert.Equal(new[] { February, January }, history.TakeLast(2));

        // Its stored state said nothing of a reminder: the activation registered one, for the current period's end.
        Assert.NotNull(await StoredSnapshots.ReminderAsync(fixture, budget, BudgetGrain.RolloverReminder));
    }

    [Fact]
    public async Task A_budget_grain_that_finds_a_retired_snapshot_of_the_previous_version_answers_with_its_history_and_can_be_defined_again()
    {
        TestClock.JumpToLocal(Paris, 6, 1, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        var budget = tenant.Budget("team-monthly");
        await Storage().WriteStateAsync(BudgetGrain.StateName, budget.GetGrainId(), new GrainState<BudgetSnapshot>(Deserialize(RetiredSnapshot)));

        Assert.Null(await budget.GetStatus());
        Assert.Equal(new[] { February, January }, await budget.GetHistory());

        var definition = new BudgetDefinition("team-monthly", ImmutableSortedDictionary<string, string>.Empty, new PeriodSpec(PeriodType.Monthly, Paris),
            new Limits(50m, null, null), Thresholds.Default, EnforcementMode.Hard, null);
        var defined = await budget.Define(definition, version: 10);

        Assert.NotNull(defined);
        Assert.Equal((50m, 0m), (defined.Cost.Limit, defined.Cost.Spent));
        Assert.Equal(new[] { February, January }, await budget.GetHistory()); // a new incarnation keeps the history
    }

    private IServiceProvider Silo() => fixture.OnEachSilo<IServiceProvider>()[0];

    private IGrainStorage Storage() => Silo().GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    /// <summary>What the grain storage's serializer makes of stored bytes.</summary>
    private BudgetSnapshot Deserialize(string base64) => Deserialize(BinaryData.FromBytes(Convert.FromBase64String(base64)));

    private BudgetSnapshot Deserialize(BinaryData data) => StorageSerializer().Deserialize<BudgetSnapshot>(data)!;

    private BinaryData Serialize(BudgetSnapshot state) => StorageSerializer().Serialize(state);

    private IGrainStorageSerializer StorageSerializer() =>
        Silo().GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>().Get(StorageNames.Grains).GrainStorageSerializer;
}
