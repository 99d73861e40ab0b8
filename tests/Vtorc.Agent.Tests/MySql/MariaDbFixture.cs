using MySqlConnector;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;

namespace Vtorc.Agent.Tests.MySql;

/// <summary>
/// Two real MariaDB servers shared by the "mariadb" collection (whose tests run one after another). Tests may
/// stop, kill or re-point them but must leave both running and not replicating when they finish.
/// </summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbProcess? _primary;
    private MariaDbProcess? _replica;

    /// <summary>The server tests write to and replicate from.</summary>
    public MariaDbProcess Primary => _primary ?? throw new InvalidOperationException("MariaDB fixture not initialised");

    /// <summary>The server tests replicate into, stop, restart and kill.</summary>
    public MariaDbProcess Replica => _replica ?? throw new InvalidOperationException("MariaDB fixture not initialised");

    public static MySqlConnectionOptions OptionsFor(MariaDbProcess server) => new()
    {
        Host = server.Host,
        Port = server.Port,
        User = server.User,
        Password = server.Password,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(20),
    };

    public static Task<MySqlConnection> OpenAsync(MariaDbProcess server) =>
        MySqlCalls.OpenAsync(OptionsFor(server), Deadline.In());

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task InitializeAsync()
    {
        var primary = MariaDbProcess.StartAsync();
        var replica = MariaDbProcess.StartAsync();
        try
        {
            _primary = await primary;
        }
        finally
        {
            _replica = await replica;
        }
    }

    public async Task DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }
        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "mariadb";
}

/// <summary>A deadline for one call made by test code (every network call gets one).</summary>
internal static class Deadline
{
    public static CancellationToken In(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
