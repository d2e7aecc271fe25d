using System.Collections.Immutable;
using System.Globalization;
using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// What every <see cref="ISpendLedger"/> does, whatever keeps it: run against the in-memory ledger
/// and against PostgreSQL by the subclasses.
/// </summary>
public abstract class LedgerBehaviourTests
{
    private readonly string tenant = Entries.NewTenant();

    protected abstract ISpendLedger Ledger { get; }

    [Fact]
    public async Task An_appended_entry_is_found_by_key_budget_and_reservation()
    {
        var hold = Entries.Hold(tenant, "r1", "month", "alice-day");

        var appended = await Ledger.AppendAsync(hold);

        Assert.False(appended.Duplicate);
        Assert.True(appended.Record.Sequence > 0);
        Entries.AssertSame(hold, appended.Record.Entry);
        var found = await Ledger.FindAsync(tenant, "hold:r1");
        Assert.NotNull(found);
        Assert.Equal(appended.Record.Sequence, found.Sequence);
        Entries.AssertSame(hold, found.Entry);
        Assert.Equal([appended.Record.Sequence], (await Ledger.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([appended.Record.Sequence], (await Ledger.ReadForBudgetAsync(tenant, "alice-day", 0)).Select(r => r.Sequence));
        Assert.Equal([appended.Record.Sequence], (await Ledger.ReadForReservationAsync(tenant, "r1")).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Nothing_is_found_where_nothing_was_appended()
    {
        await Ledger.AppendAsync(Entries.Usage(tenant, "u1", "month"));

        Assert.Null(await Ledger.FindAsync(tenant, "usage:other"));
        Assert.Null(await Ledger.FindAsync(Entries.NewTenant(), "usage:u1"));
        Assert.Empty(await Ledger.ReadForBudgetAsync(tenant, "no-such-budget", 0));
        Assert.Empty(await Ledger.ReadForReservationAsync(tenant, "no-such-reservation"));
    }

    [Fact]
    public async Task A_second_append_of_a_key_is_a_duplicate_answered_with_the_first_entry()
    {
        var first = Entries.Usage(tenant, "u1", "month");
        var retry = first with { Fingerprint = "a different request", Amount = new Amount(99m, 1, 1), Outcome = [9, 9] };

        var original = await Ledger.AppendAsync(first);
        var duplicate = await Ledger.AppendAsync(retry);

        Assert.False(original.Duplicate);
        Assert.True(duplicate.Duplicate);
        Assert.Equal(original.Record.Sequence, duplicate.Record.Sequence);
        Entries.AssertSame(first, duplicate.Record.Entry);
        Assert.Single(await Ledger.ReadForBudgetAsync(tenant, "month", 0));
    }

    [Fact]
    public async Task Appends_of_one_key_sent_together_keep_the_first()
    {
        var first = Entries.Usage(tenant, "same", "month");
        var second = first with { Fingerprint = "second" };
        var third = first with { Fingerprint = "third" };

        // Not awaited in between: with group commit they usually share a batch.
        var answers = await Task.WhenAll(Ledger.AppendAsync(first), Ledger.AppendAsync(second), Ledger.AppendAsync(third));

        Assert.Equal([false, true, true], answers.Select(a => a.Duplicate));
        Assert.All(answers, a => Assert.Equal(answers[0].Record.Sequence, a.Record.Sequence));
        Assert.All(answers, a => Assert.Equal(first.Fingerprint, a.Record.Entry.Fingerprint));
        Assert.Equal(first.Fingerprint, (await Ledger.FindAsync(tenant, first.EntryKey))?.Entry.Fingerprint);
    }

    [Fact]
    public async Task Keys_are_unique_per_tenant_not_across_tenants()
    {
        var otherTenant = Entries.NewTenant();

        var mine = await Ledger.AppendAsync(Entries.Usage(tenant, "u1", "month"));
        var theirs = await Ledger.AppendAsync(Entries.Usage(otherTenant, "u1", "month"));

        Assert.False(mine.Duplicate);
        Assert.False(theirs.Duplicate);
        Assert.NotEqual(mine.Record.Sequence, theirs.Record.Sequence);
        Assert.Equal([mine.Record.Sequence], (await Ledger.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([theirs.Record.Sequence], (await Ledger.ReadForBudgetAsync(otherTenant, "month", 0)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Sequences_grow_with_each_append()
    {
        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sequences.Add((await Ledger.AppendAsync(Entries.Usage(tenant, $"u{i}", "month"))).Record.Sequence);
        }

        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public async Task Reading_a_budget_gives_its_entries_after_the_watermark_in_sequence_order()
    {
        var e1 = await Ledger.AppendAsync(Entries.Usage(tenant, "1", "month"));
        var e2 = await Ledger.AppendAsync(Entries.Usage(tenant, "2", "month", "alice-day"));
        var e3 = await Ledger.AppendAsync(Entries.Usage(tenant, "3", "alice-day"));
        var e4 = await Ledger.AppendAsync(Entries.Usage(tenant, "4", "alice-day", "month"));
        await Ledger.AppendAsync(Entries.Usage(Entries.NewTenant(), "5", "month")); // same budget id, another tenant

        Assert.Equal(Sequences(e1, e2, e4), Sequences(await Ledger.ReadForBudgetAsync(tenant, "month", 0)));
        Assert.Equal(Sequences(e4), Sequences(await Ledger.ReadForBudgetAsync(tenant, "month", e2.Record.Sequence)));
        Assert.Equal(Sequences(e4), Sequences(await Ledger.ReadForBudgetAsync(tenant, "month", e4.Record.Sequence - 1)));
        Assert.Empty(await Ledger.ReadForBudgetAsync(tenant, "month", e4.Record.Sequence));
        Assert.Equal(Sequences(e2, e3, e4), Sequences(await Ledger.ReadForBudgetAsync(tenant, "alice-day", 0)));
        Assert.Equal(Sequences(e3, e4), Sequences(await Ledger.ReadForBudgetAsync(tenant, "alice-day", e2.Record.Sequence)));
        Entries.AssertSame(e2.Record.Entry, (await Ledger.ReadForBudgetAsync(tenant, "alice-day", 0))[0].Entry);
    }

    [Fact]
    public async Task Reading_a_reservation_gives_its_hold_release_and_commit_in_order()
    {
        var hold = await Ledger.AppendAsync(Entries.Hold(tenant, "r1", "month"));
        var otherHold = await Ledger.AppendAsync(Entries.Hold(tenant, "r2", "month"));
        var commit = await Ledger.AppendAsync(Entries.Commit(tenant, "r1", "month"));
        var release = await Ledger.AppendAsync(Entries.Release(tenant, "r2", "month"));
        await Ledger.AppendAsync(Entries.Usage(tenant, "r1", "month")); // usage carries no reservation

        var r1 = await Ledger.ReadForReservationAsync(tenant, "r1");
        var r2 = await Ledger.ReadForReservationAsync(tenant, "r2");

        Assert.Equal(Sequences(hold, commit), Sequences(r1));
        Assert.Equal([LedgerEntryKind.Hold, LedgerEntryKind.Commit], r1.Select(r => r.Entry.Kind));
        Assert.Equal(Sequences(otherHold, release), Sequences(r2));
        Assert.Equal([LedgerEntryKind.Hold, LedgerEntryKind.Release], r2.Select(r => r.Entry.Kind));
        Entries.AssertSame(commit.Record.Entry, r1[1].Entry);
    }

    [Theory]
    [InlineData("0.000001")]
    [InlineData("999999999999.999999")]
    [InlineData("9999999999999999999999.999999")]
    [InlineData("-0.000001")]
    [InlineData("0.1")]
    [InlineData("0")]
    public async Task Money_round_trips_exactly(string cost)
    {
        var amount = new Amount(decimal.Parse(cost, CultureInfo.InvariantCulture), long.MaxValue, long.MinValue);
        var entry = Entries.Usage(tenant, "money", "month") with { Amount = amount };

        await Ledger.AppendAsync(entry);

        var stored = (await Ledger.FindAsync(tenant, entry.EntryKey))!.Entry.Amount;
        Assert.Equal(amount.Cost, stored.Cost);
        Assert.Equal(cost, Trimmed(stored.Cost)); // every digit, not only an equal value
        Assert.Equal(amount.Tokens, stored.Tokens);
        Assert.Equal(amount.Operations, stored.Operations);
    }

    [Fact]
    public async Task Times_are_kept_in_utc_to_the_microsecond_and_the_answer_matches_what_is_read_back()
    {
        var recordedAt = new DateTimeOffset(2025, 3, 30, 1, 59, 59, TimeSpan.FromHours(1)).AddTicks(1_234_567); // .1234567 s
        var entry = Entries.Hold(tenant, "r1", "month") with { RecordedAt = recordedAt, ExpiresAt = recordedAt.AddTicks(-8) }; // .1234559 s

        var appended = await Ledger.AppendAsync(entry);

        var expected = new DateTimeOffset(2025, 3, 30, 0, 59, 59, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(expected, appended.Record.Entry.RecordedAt);
        Assert.Equal(TimeSpan.Zero, appended.Record.Entry.RecordedAt.Offset);
        Assert.Equal(expected.AddTicks(-10), appended.Record.Entry.ExpiresAt);
        Entries.AssertSame(appended.Record.Entry, (await Ledger.FindAsync(tenant, entry.EntryKey))!.Entry);
    }

    [Fact]
    public async Task An_entry_may_apply_to_no_budget()
    {
        var entry = Entries.Usage(tenant, "nothing-applies") with { Attributes = ImmutableSortedDictionary<string, string>.Empty };

        await Ledger.AppendAsync(entry);

        var found = await Ledger.FindAsync(tenant, entry.EntryKey);
        Assert.NotNull(found);
        Assert.Empty(found.Entry.BudgetIds);
        Assert.Empty(found.Entry.Attributes);
    }

    public static TheoryData<string> Unstorable => ["seven decimals", "budget twice", "NUL in attribute", "empty key", "default budgets", "NUL in key"];

    [Theory]
    [MemberData(nameof(Unstorable))]
    public async Task An_entry_that_cannot_be_stored_exactly_is_refused_and_not_stored(string problem)
    {
        var entry = Entries.Usage(tenant, "bad", "month");
        entry = problem switch
        {
            "seven decimals" => entry with { Amount = new Amount(0.0000001m, 0, 0) },
            "budget twice" => entry with { BudgetIds = ["month", "month"] },
            "NUL in attribute" => entry with { Attributes = entry.Attributes.SetItem("user", "al\0ice") },
            "empty key" => entry with { EntryKey = "" },
            "default budgets" => entry with { BudgetIds = default },
            "NUL in key" => entry with { EntryKey = "usage:b\0ad" },
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Ledger.AppendAsync(entry));

        Assert.Null(await Ledger.FindAsync(tenant, "usage:bad"));
        Assert.Empty(await Ledger.ReadForBudgetAsync(tenant, "month", 0));
    }

    [Fact]
    public async Task Many_concurrent_appends_all_land_once_with_distinct_sequences()
    {
        var entries = Enumerable.Range(0, 400).Select(i => Entries.Usage(tenant, $"u{i}", "month", $"user-{i % 7}")).ToList();

        var answers = await Task.WhenAll(entries.Select(e => Task.Run(() => Ledger.AppendAsync(e))));

        Assert.All(answers, a => Assert.False(a.Duplicate));
        Assert.Equal(entries.Count, answers.Select(a => a.Record.Sequence).Distinct().Count());
        var stored = await Ledger.ReadForBudgetAsync(tenant, "month", 0);
        Assert.Equal(answers.Select(a => a.Record.Sequence).Order(), stored.Select(r => r.Sequence));
        Assert.Equal(entries.Select(e => e.EntryKey).Order(), stored.Select(r => r.Entry.EntryKey).Order());
    }

    private static IEnumerable<long> Sequences(params AppendResult[] answers) => answers.Select(a => a.Record.Sequence);

    private static IEnumerable<long> Sequences(IEnumerable<LedgerRecord> records) => records.Select(r => r.Sequence);

    private static string Trimmed(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
