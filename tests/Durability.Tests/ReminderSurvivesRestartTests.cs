using System.Net;
using BudgetActors.Durability.Tests.Infrastructure;
using Npgsql;

namespace BudgetActors.Durability.Tests;

/// <summary>The period-rollover reminder lives in OrleansRemindersTable: it outlives every silo, and a restarted silo fires it.</summary>
[Collection(DurableClusterCollection.Name)]
public sealed class ReminderSurvivesRestartTests(DurableClusterFixture fixture)
{
    private const string ReminderName = "period-rollover";

    [Fact]
    public async Task A_daily_budgets_rollover_reminder_is_kept_across_a_restart_of_every_silo_and_fired_by_the_new_silos()
    {
        var cluster = fixture.Cluster;
        var tenant = await fixture.NewTenantAsync("reminders");
        await tenant.PutBudgetAsync("daily", """{ "scope": {}, "period": { "type": "daily", "timezone": "UTC" }, "limits": { "cost": 100 } }""");
        await cluster.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody("call-1", 2.5m));
        var periodEnd = DateTimeOffset.Parse((await tenant.BudgetStatusAsync("daily"))["periodEnd"]!.GetValue<string>());
        var grainId = $"budget/{tenant.Id}/daily";

        var registered = await ReadReminderAsync(grainId) ?? throw new Xunit.Sdk.XunitException($"No {ReminderName} reminder row for {grainId}.");
        Assert.Equal(periodEnd, registered.StartTime, TimeSpan.FromSeconds(1)); // due when the period ends
        Assert.Equal(TimeSpan.FromDays(1), registered.Period);

        await cluster.KillAllSilosAsync();
        Assert.Equal(registered, await ReadReminderAsync(grainId));

        // The silos come back long before midnight: move the reminder's due time to a few seconds from
        // now, as if they had stayed down until the period ended, to see a new silo fire it. The due
        // time leaves room for a slow start: when it passed before the silos were back (a restart of
        // both took up to 14 s at load average 15), the tick was not seen within the wait below.
        var due = await MakeDueSoonAsync(grainId, TimeSpan.FromSeconds(30));
        await cluster.StartKilledSilosAsync();

        // The tick activates the budget grain, which registers its rollover again for the real period
        // end: the row is rewritten (new version, due at the period end) with nothing else calling it.
        await Eventually.HoldsAsync(async () => await ReadReminderAsync(grainId) is { } now && now.Version > due.Version && Near(now.StartTime, periodEnd),
            TimeSpan.FromSeconds(45), $"a restarted silo fires the reminder due at {due.StartTime:O} and the budget re-registers it for {periodEnd:O}",
            cluster.Diagnostics);
        Assert.Equal(TimeSpan.FromDays(1), (await ReadReminderAsync(grainId))!.Period);

        var status = await tenant.BudgetStatusAsync("daily");
        Assert.Equal(periodEnd, DateTimeOffset.Parse(status["periodEnd"]!.GetValue<string>()));
        Assert.Equal(2.5m, Json.Decimal(status["cost"]!["spent"]));
    }

    private static bool Near(DateTimeOffset a, DateTimeOffset b) => (a - b).Duration() < TimeSpan.FromSeconds(1);

    private async Task<ReminderRow?> ReadReminderAsync(string grainId)
    {
        await using var query = fixture.Cluster.Database.CreateCommand(
            "SELECT starttime, period, version FROM orleansreminderstable WHERE serviceid = $1 AND grainid = $2 AND remindername = $3");
        query.Parameters.Add(new NpgsqlParameter { Value = fixture.Cluster.ClusterId });
        query.Parameters.Add(new NpgsqlParameter { Value = grainId });
        query.Parameters.Add(new NpgsqlParameter { Value = ReminderName });
        await using var reader = await query.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ReminderRow(reader.GetFieldValue<DateTimeOffset>(0), TimeSpan.FromMilliseconds(reader.GetInt64(1)), reader.GetInt32(2))
            : null;
    }

    private async Task<ReminderRow> MakeDueSoonAsync(string grainId, TimeSpan delay)
    {
        await using var update = fixture.Cluster.Database.CreateCommand(
            "UPDATE orleansreminderstable SET starttime = now() + $4, version = version + 1 WHERE serviceid = $1 AND grainid = $2 AND remindername = $3");
        update.Parameters.Add(new NpgsqlParameter { Value = fixture.Cluster.ClusterId });
        update.Parameters.Add(new NpgsqlParameter { Value = grainId });
        update.Parameters.Add(new NpgsqlParameter { Value = ReminderName });
        update.Parameters.Add(new NpgsqlParameter { Value = delay });
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
        return (await ReadReminderAsync(grainId))!;
    }

    private sealed record ReminderRow(DateTimeOffset StartTime, TimeSpan Period, int Version);
}
