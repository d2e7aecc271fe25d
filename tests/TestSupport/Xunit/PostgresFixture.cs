namespace BudgetActors.TestSupport;

// xUnit glue, compiled into each test project that links this file (see its .csproj) rather than
// into TestSupport, which bench/ programs use without xUnit; a collection definition must live in
// the test assembly whose classes name it anyway.

/// <summary>One private PostgreSQL server (schema applied by scripts/sql/apply.sh) shared by the test classes of the "postgres" collection.</summary>
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
