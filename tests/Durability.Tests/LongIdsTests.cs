using System.Net;
using System.Security.Cryptography;
using System.Text;
using BudgetActors.Durability.Tests.Infrastructure;
using Npgsql;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// Ids at the longest the API accepts reach every table: a 128-character tenant and 128-character
/// budgets make the budget grain's id <c>budget/{tenant}/{budget}</c> 264 characters long, and that
/// is what the reminder table keys its rows by. Such budgets must work like any other, also after
/// every silo was killed and each grain came back from its stored snapshot and reminder.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class LongIdsTests(DurableClusterFixture fixture)
{
    /// <summary>Tenant, budget and key ids: 1–128 characters (RequestValidator).</summary>
    private const int MaxIdLength = 128;

    /// <summary>Idempotency keys and attribute values: 1–256 characters.</summary>
    private const int MaxKeyLength = 256;

    private const string ReminderName = "period-rollover";

    private static readonly string[] Periods = ["daily", "weekly", "monthly", "total"];

    [Fact]
    public async Task Budgets_of_every_period_type_with_the_longest_ids_keep_their_spend_and_rollover_reminders_across_a_restart_of_every_silo()
    {
        var cluster = fixture.Cluster;
        var api = cluster.Api;
        var tenant = await fixture.CreateTenantAsync(LongValue("tenant", MaxIdLength, IdCharacters), "long ids");
        // The longest user value too, so that it is part of every budget's definition and every ledger row.
        var user = LongValue("user", MaxKeyLength, IdCharacters + "/+");
        var attributes = $$"""{ "user": "{{user}}" }""";
        var budgets = Periods.ToDictionary(period => period, period => LongValue(period, MaxIdLength, IdCharacters));
        foreach (var (period, budget) in budgets)
        {
            await tenant.PutBudgetAsync(budget,
                $$"""{ "scope": { "user": "{{user}}" }, "period": { "type": "{{period}}", "timezone": "UTC" }, "limits": { "cost": 100 } }""");
        }

        // Each request applies to all four budgets: a hold committed for less, a usage, and a hold left open.
        var committed = await ReserveAsync(tenant, LongValue("reserve-1", MaxKeyLength, KeyCharacters), 4m, attributes);
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CommitPath(committed), tenant.ServiceKey, TestTenant.CommitBody(3m));
        var usage = TestTenant.UsageBody(LongValue("usage-1", MaxKeyLength, KeyCharacters), 1.5m, attributes);
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, usage);
        var open = await ReserveAsync(tenant, LongValue("reserve-2", MaxKeyLength, KeyCharacters), 2m, attributes);
        await AssertSpendAsync(tenant, budgets.Values, spent: 4.5m, reserved: 2m, "before the restart");

        var periodEnds = new Dictionary<string, DateTimeOffset>();
        foreach (var period in Periods[..^1])
        {
            periodEnds[period] = DateTimeOffset.Parse((await tenant.BudgetStatusAsync(budgets[period]))["periodEnd"]!.GetValue<string>());
        }

        await cluster.CrashAndRestartAllSilosAsync();

        // Every budget grain activates anew: from its snapshot, the ledger after it, and its reminder.
        await AssertSpendAsync(tenant, budgets.Values, spent: 4.5m, reserved: 2m, "after kill -9 of every silo");
        var retried = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, usage);
        Assert.True(retried["duplicate"]!.GetValue<bool>(), $"The usage retried with its 256-character key was counted again: {retried}");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CommitPath(open), tenant.ServiceKey, TestTenant.CommitBody(2m));
        await AssertSpendAsync(tenant, budgets.Values, spent: 6.5m, reserved: 0m, "after the open hold was committed");

        foreach (var (period, budget) in budgets)
        {
            var grainId = $"budget/{tenant.Id}/{budget}";
            Assert.Equal(2 * MaxIdLength + "budget//".Length, grainId.Length);
            var reminder = await ReminderDueAtAsync(grainId);
            if (period == "total")
            {
                Assert.Null(reminder); // a total budget never rolls over
            }
            else
            {
                Assert.True(reminder is { } due && (due - periodEnds[period]).Duration() < TimeSpan.FromSeconds(1),
                    $"The {period} budget's {ReminderName} reminder is due at {reminder?.ToString("O") ?? "(no row)"}, not at its period end {periodEnds[period]:O}.");
            }

            Assert.True(await HasSnapshotAsync($"{tenant.Id}/{budget}"), $"No stored snapshot of the {period} budget.");
        }

        var rows = await tenant.LedgerRowsAsync();
        Assert.Equal([LedgerEntryKind.Hold, LedgerEntryKind.Commit, LedgerEntryKind.Usage, LedgerEntryKind.Hold, LedgerEntryKind.Commit], rows.Select(r => r.Kind));
        Assert.All(rows, row => Assert.Equal(budgets.Values.Order(StringComparer.Ordinal), row.BudgetIds.Order(StringComparer.Ordinal)));
    }

    /// <summary>The characters of ids (RequestValidator's id pattern), every one of them used.</summary>
    private const string IdCharacters = "ABCXYZabcxyz0189._:@-";

    /// <summary>Printable ASCII for idempotency keys, leaving out what would need escaping in the JSON the tests write.</summary>
    private const string KeyCharacters = IdCharacters + "!#$%&'()*+,/;<=>?[]^`{|}~";

    /// <summary>
    /// <c>{label}-{random}</c> (unique to the run, so that reruns on one cluster never collide), padded
    /// to exactly <paramref name="length"/> with <paramref name="characters"/>.
    /// </summary>
    private static string LongValue(string label, int length, string characters)
    {
        var value = new StringBuilder($"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}-");
        for (var i = 0; value.Length < length; i++)
        {
            value.Append(characters[i % characters.Length]);
        }

        return value.ToString();
    }

    private async Task<string> ReserveAsync(TestTenant tenant, string key, decimal estimate, string attributes)
    {
        var answer = await fixture.Cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReservationsPath, tenant.ServiceKey,
            TestTenant.ReserveBody(key, estimate, attributes));
        Assert.True(answer["granted"]!.GetValue<bool>(), $"The reservation was refused: {answer.ToJsonString()}");
        return answer["reservationId"]!.GetValue<string>();
    }

    private static async Task AssertSpendAsync(TestTenant tenant, IEnumerable<string> budgets, decimal spent, decimal reserved, string when)
    {
        foreach (var budget in budgets)
        {
            var cost = (await tenant.BudgetStatusAsync(budget))["cost"]!;
            Assert.True((Json.Decimal(cost["spent"]), Json.Decimal(cost["reserved"])) == (spent, reserved),
                $"Budget {budget} {when}: {cost.ToJsonString()}, expected spent {spent} and reserved {reserved}.");
        }
    }

    /// <summary>When the grain's rollover reminder is due, read from OrleansRemindersTable; null without a row.</summary>
    private async Task<DateTimeOffset?> ReminderDueAtAsync(string grainId)
    {
        await using var query = fixture.Cluster.Database.CreateCommand(
            "SELECT starttime FROM orleansreminderstable WHERE serviceid = $1 AND grainid = $2 AND remindername = $3");
        query.Parameters.Add(new NpgsqlParameter { Value = fixture.Cluster.ClusterId });
        query.Parameters.Add(new NpgsqlParameter { Value = grainId });
        query.Parameters.Add(new NpgsqlParameter { Value = ReminderName });
        await using var reader = await query.ExecuteReaderAsync();
        return await reader.ReadAsync() ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    /// <summary>Whether OrleansStorage holds a budget state for the grain key (the provider stores a string key whole, without the type).</summary>
    private async Task<bool> HasSnapshotAsync(string grainKey)
    {
        await using var query = fixture.Cluster.Database.CreateCommand(
            "SELECT count(*) FROM orleansstorage WHERE serviceid = $1 AND grainidextensionstring = $2 AND graintypestring = 'budget' AND payloadbinary IS NOT NULL");
        query.Parameters.Add(new NpgsqlParameter { Value = fixture.Cluster.ClusterId });
        query.Parameters.Add(new NpgsqlParameter { Value = grainKey });
        return (long)(await query.ExecuteScalarAsync())! == 1;
    }
}
