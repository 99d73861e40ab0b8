using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using System.Globalization;
using Replicationdata;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Agent.Tests.MySql;
using Grpc.Core;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// Base of the tests that run a fresh three-member <see cref="AgentCluster"/> each (one collection, so only one
/// cluster runs at a time on a small machine). Servers are started with a semi-sync timeout of
/// <see cref="SemiSyncTimeoutMs"/>, which the agent replaces by an infinite one whenever it enables the primary side.
/// </summary>
[Collection(AgentClusterCollection.Name)]
public abstract class AgentClusterTest(ITestOutputHelper output) : IAsyncLifetime
{
    public const int SemiSyncTimeoutMs = 1500;

    private readonly TestOutputLoggerFactory _loggers = new(output);
    private AgentCluster? _cluster;

    protected AgentCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    protected virtual int Size => 3;

    protected virtual IReadOnlyList<string> Cells => ["zone1"];

    /// <summary>Extra mariadbd arguments of every member.</summary>
    protected virtual IReadOnlyList<string> MariaDbArguments => [$"--rpl-semi-sync-master-timeout={SemiSyncTimeoutMs.ToString(CultureInfo.InvariantCulture)}"];

    /// <summary>The agents' health stream interval; null: the agent's default.</summary>
    protected virtual TimeSpan? HealthCheckInterval => null;

    public async Task InitializeAsync() =>
        _cluster = await AgentCluster.StartAsync(Size, _loggers, Cells, mariaDbArguments: MariaDbArguments,
            cancellationToken: AgentCluster.Deadline(120), healthCheckInterval: HealthCheckInterval);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _loggers.Dispose();
    }

    protected static async Task<FullStatus> FullStatusAsync(AgentMember member, TimeSpan? timeout = null) =>
        (await member.CallAsync<FullStatusRequest, FullStatusResponse>("FullStatus", new FullStatusRequest(), timeout)).Status;

    /// <summary>
    /// The member's status, or null when the call failed because the agent's own fence or demotion killed the
    /// MySQL connection the call was using (both kill every client connection, the agent's pooled ones included):
    /// for polls that wait for the outcome of that fence or demotion.
    /// </summary>
    protected static async Task<FullStatus?> FullStatusWhileConnectionsAreKilledAsync(AgentMember member, ITestOutputHelper output)
    {
        try
        {
            return await FullStatusAsync(member);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            output.WriteLine($"FullStatus of {member.AliasText} failed while its connections are killed: {e.Status.Detail}");
            return null;
        }
    }

    protected static async Task<string> InitPrimaryAsync(AgentMember member, bool semiSync = false) =>
        (await member.CallAsync<InitPrimaryRequest, InitPrimaryResponse>("InitPrimary", new InitPrimaryRequest { SemiSync = semiSync })).Position;

    protected static Task ReplicateFromAsync(AgentMember replica, AgentMember primary, bool semiSync = false, long timeCreatedNs = 0,
        string waitPosition = "", bool forceStart = true, TimeSpan? timeout = null) =>
        replica.CallAsync<SetReplicationSourceRequest, SetReplicationSourceResponse>("SetReplicationSource", new SetReplicationSourceRequest
        {
            Parent = primary.Alias,
            ForceStartReplication = forceStart,
            SemiSync = semiSync,
            TimeCreatedNs = timeCreatedNs,
            WaitPosition = waitPosition,
        }, timeout);

    protected static async Task<string> PrimaryPositionAsync(AgentMember member) =>
        (await member.CallAsync<PrimaryPositionRequest, PrimaryPositionResponse>("PrimaryPosition", new PrimaryPositionRequest())).Position;

    /// <summary>Creates <c>test.t</c> if needed and inserts <paramref name="rows"/> rows through a direct connection.</summary>
    protected static async Task InsertRowsAsync(AgentMember primary, int rows)
    {
        using var connection = await primary.OpenMySqlAsync();
        await connection.ExecuteAsync("CREATE DATABASE IF NOT EXISTS test", AgentCluster.Deadline());
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS test.t (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40))", AgentCluster.Deadline());
        for (var i = 0; i < rows; i++)
        {
            await connection.ExecuteAsync("INSERT INTO test.t (note) VALUES ('row')", AgentCluster.Deadline());
        }
    }

    /// <summary>Rows in <c>test.t</c> (0 when the table does not exist yet).</summary>
    protected static async Task<int> CountRowsAsync(AgentMember member)
    {
        using var connection = await member.OpenMySqlAsync();
        try
        {
            var result = await connection.QueryAsync("SELECT COUNT(*) FROM test.t", AgentCluster.Deadline());
            return int.Parse(result.Rows[0][0]!, CultureInfo.InvariantCulture);
        }
        catch (Vtorc.Agent.MySql.MySqlCallException e) when (e.Number is 1146 or 1049)
        {
            return 0;
        }
    }

    protected static Task WaitForRowsAsync(AgentMember member, int rows) =>
        Poll.UntilAsync(async () => await CountRowsAsync(member) == rows, TimeSpan.FromSeconds(30),
            $"{member.AliasText} has {rows} rows in test.t");

    protected static async Task<RpcException> FailsAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        return error;
    }

    /// <summary>A primary (member 0, InitPrimary) and the others replicating from it.</summary>
    protected async Task<string> BuildShardAsync(bool semiSync = false)
    {
        var position = await InitPrimaryAsync(Cluster[0], semiSync);
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await ReplicateFromAsync(replica, Cluster[0], semiSync);
        }
        return position;
    }

    protected static bool SameAlias(TabletAlias? a, TabletAlias b) => a is not null && a.Cell == b.Cell && a.Uid == b.Uid;
}

[CollectionDefinition(Name)]
public sealed class AgentClusterCollection
{
    public const string Name = "agent-cluster";
}
