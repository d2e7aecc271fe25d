namespace BudgetActors.Alerts.Tests.Support;

/// <summary>One private PostgreSQL server (schema applied by scripts/sql/apply.sh) shared by the "postgres" collection.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PrivatePostgres? server;

    public PrivatePostgres Server => server ?? throw new InvalidOperationException("The server is not started.");

    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync() => server = await PrivatePostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
