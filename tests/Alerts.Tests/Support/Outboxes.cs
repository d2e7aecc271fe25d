using Npgsql;

namespace BudgetActors.Alerts.Tests.Support;

public static class Outboxes
{
    /// <summary>Empties alert_outbox, so a test of the "postgres" collection (they run one at a time) sees only its own rows.</summary>
    public static async Task EmptyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM alert_outbox", connection);
        await command.ExecuteNonQueryAsync();
    }
}
