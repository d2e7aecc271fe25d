using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace BudgetActors.Compare;

/// <summary>
/// What a budget check with a hold costs when PostgreSQL row locks make the decision: one
/// conditional UPDATE of the budget's row per request, committed on its own (fsync on, like the
/// ledger's server), on a pool of as many connections as there are callers. Every request updates
/// the same row, as every request of a one-budget row updates one budget grain.
/// </summary>
public sealed class PgRowLock : IAsyncDisposable
{
    private const string Admit = """UPDATE bench_budgets SET spent = spent + $1 WHERE id = $2 AND spent + $1 <= "limit" """;

    private readonly NpgsqlDataSource _source;

    private PgRowLock(NpgsqlDataSource source) => _source = source;

    public static async Task<PgRowLock> CreateAsync(string connectionString, int connections)
    {
        await using (var setup = NpgsqlDataSource.Create(connectionString))
        {
            await using var create = setup.CreateCommand("""
                CREATE TABLE IF NOT EXISTS bench_budgets (id integer PRIMARY KEY, spent numeric NOT NULL, "limit" numeric NOT NULL);
                INSERT INTO bench_budgets VALUES (1, 0, 1000000000) ON CONFLICT (id) DO NOTHING;
                """);
            await create.ExecuteNonQueryAsync();
        }

        // Prepared statements and a full pool: the baseline at its best, not handicapped by setup costs.
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = connections,
            MinPoolSize = connections,
            MaxAutoPrepare = 4,
            AutoPrepareMinUsages = 1,
        };
        return new PgRowLock(NpgsqlDataSource.Create(builder.ConnectionString));
    }

    public async Task AdmitAsync()
    {
        await using var command = _source.CreateCommand(Admit);
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = ApiSetup.Cost });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 1 });
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException("The row-lock baseline refused a request: its limit is meant never to be reached.");
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}

/// <summary>
/// The same decision in Redis: a Lua script that checks the budget's held and spent amounts against
/// its limit and, if the request fits, adds it to what is held — atomically, since Redis runs one
/// script at a time. Money in micro-units, like the ledger. StackExchange.Redis sends it with
/// EVALSHA over one multiplexed connection, the way a service would.
/// </summary>
public sealed class RedisHold : IAsyncDisposable
{
    private const string Script = """
        local budget = redis.call('HMGET', KEYS[1], 'held', 'spent', 'limit')
        local cost = tonumber(ARGV[1])
        if tonumber(budget[1]) + tonumber(budget[2]) + cost > tonumber(budget[3]) then
          return 0
        end
        redis.call('HINCRBY', KEYS[1], 'held', cost)
        return 1
        """;

    private static readonly RedisKey[] Budget = ["bench:budget:alice-monthly"];
    private static readonly RedisValue[] CostMicros = [(long)(ApiSetup.Cost * 1_000_000)];

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _database;

    private RedisHold(ConnectionMultiplexer redis)
    {
        _redis = redis;
        _database = redis.GetDatabase();
    }

    public static async Task<RedisHold> CreateAsync(int port)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        var hold = new RedisHold(redis);
        // A limit (10^9 USD in micro-units) that no run comes near: every request is admitted, as in the other rows.
        await hold._database.HashSetAsync(Budget[0], [new("held", 0), new("spent", 0), new("limit", 1_000_000_000L * 1_000_000)]);
        return hold;
    }

    public async Task HoldAsync()
    {
        if ((long)await _database.ScriptEvaluateAsync(Script, Budget, CostMicros) != 1)
        {
            throw new InvalidOperationException("The Redis baseline refused a request: its limit is meant never to be reached.");
        }
    }

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}

/// <summary>
/// A job worker's check: an Orleans client in this process connected over TCP to the gateway of the
/// silo that the API host co-hosts, calling <see cref="IAdmissionGrain.Check"/> with CheckBench's
/// request, as samples/JobWorker does.
/// </summary>
public sealed class ExternalClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IAdmissionGrain _admission;

    private ExternalClient(IHost host)
    {
        _host = host;
        _admission = host.Services.GetRequiredService<IClusterClient>().GetGrain<IAdmissionGrain>(0);
    }

    public static async Task<ExternalClient> ConnectAsync(int gatewayPort, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, clusterId, clusterId));
        var host = builder.Build();
        await host.StartAsync();
        return new ExternalClient(host);
    }

    public async Task<CheckResult> CheckAsync() => await _admission.Check(ApiSetup.OneBudget, CheckBench.BenchTenants.Check);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
