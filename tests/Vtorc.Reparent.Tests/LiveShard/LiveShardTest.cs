using System.Globalization;
using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.LiveShard;

/// <summary>
/// Base of the reparent tests on a real shard (etcd, MariaDB, in-process agents): starts the test's cluster, runs the
/// operations over gRPC and reads MySQL and topology state back. Semi-sync primaries give up waiting for an
/// acknowledgement after <see cref="SemiSyncTimeoutMs"/>, so a test never hangs on a commit.
/// </summary>
[Collection(LiveShardCollection.Name)]
public abstract class LiveShardTest(ITestOutputHelper output) : IAsyncLifetime
{
    public const int SemiSyncTimeoutMs = 1500;
    public const string Keyspace = AgentCluster.Keyspace;
    public const string Shard = AgentCluster.Shard;

    /// <summary>An account without SUPER/READ ONLY ADMIN, so read_only stops its writes as it stops an application's.</summary>
    protected const string WriterUser = "writer";
    protected const string WriterPassword = "writer-pw";

    private readonly TestOutputLoggerFactory _loggers = new(output);
    private readonly GrpcTabletManagerClient _tabletManager = new();
    private AgentCluster? _cluster;

    protected static readonly TimeSpan WaitReplicasTimeout = TimeSpan.FromSeconds(20);

    protected AgentCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    protected ITabletManagerClient TabletManager => _tabletManager;

    protected static DurabilityPolicyRegistry Durability { get; } = DurabilityPolicyRegistry.CreateDefault();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _tabletManager.Dispose();
        _loggers.Dispose();
    }

    protected void Log(string line) => _loggers.Write($"{DateTime.UtcNow:HH:mm:ss.fff} test: {line}");

    protected IProgress<ReparentEvent> Progress(List<ReparentEvent>? sink = null) => new SynchronousProgress(e =>
    {
        lock (_loggers)
        {
            sink?.Add(e);
        }
        Log(e.ToString());
    });

    /// <summary>Starts this test's cluster: members 100, 101, … with cells assigned round-robin.</summary>
    protected async Task<AgentCluster> StartClusterAsync(int size = 3, IReadOnlyList<string>? cells = null)
    {
        _cluster = await AgentCluster.StartAsync(size, _loggers, cells ?? ["zone1"],
            mariaDbArguments: [$"--rpl-semi-sync-master-timeout={SemiSyncTimeoutMs.ToString(CultureInfo.InvariantCulture)}"],
            cancellationToken: AgentCluster.Deadline(120));
        return _cluster;
    }

    /// <summary>Sets the keyspace's durability policy under the keyspace lock, as SetKeyspaceDurabilityPolicy does.</summary>
    protected async Task SetDurabilityAsync(string policy)
    {
        await using var keyspaceLock = await Cluster.Topo.Locks.LockKeyspaceAsync(Keyspace, $"SetKeyspaceDurabilityPolicy({policy})", AgentCluster.Deadline());
        await Cluster.Topo.Keyspaces.UpdateFieldsAsync(Keyspace, k => k.DurabilityPolicy = policy, AgentCluster.Deadline());
    }

    protected PlannedReparentShard Prs(TopoServer? topo = null) => new(topo ?? Cluster.Topo, TabletManager, Durability);

    protected EmergencyReparentShard Ers(TopoServer? topo = null) => new(topo ?? Cluster.Topo, TabletManager, Durability);

    /// <summary>
    /// InitShardPrimary on <paramref name="primary"/>, then a test table and the <see cref="WriterUser"/> account,
    /// created on the primary and waited for on every replica.
    /// </summary>
    protected async Task<ReparentResult> InitShardAsync(AgentMember primary)
    {
        var result = await Prs().InitShardPrimaryAsync(Keyspace, Shard, primary.AliasText, WaitReplicasTimeout, Progress(),
            cancellationToken: AgentCluster.Deadline(60));
        using (var connection = await primary.OpenMySqlAsync())
        {
            foreach (var sql in new[]
            {
                "CREATE DATABASE IF NOT EXISTS test",
                "CREATE TABLE IF NOT EXISTS test.t (id BIGINT PRIMARY KEY, note VARCHAR(40))",
                $"CREATE USER IF NOT EXISTS '{WriterUser}'@'%' IDENTIFIED BY '{WriterPassword}'",
                $"GRANT SELECT, INSERT ON test.* TO '{WriterUser}'@'%'",
            })
            {
                await connection.ExecuteAsync(sql, AgentCluster.Deadline());
            }
        }
        foreach (var member in Cluster.Members.Where(m => m != primary))
        {
            await Poll.UntilAsync(async () => await TableExistsAsync(member), TimeSpan.FromSeconds(30), $"{member.AliasText} has test.t");
        }
        return result;
    }

    protected static MySqlConnectionOptions WriterOptions(AgentMember member) =>
        member.MySqlOptions with { User = WriterUser, Password = WriterPassword, CommandTimeout = TimeSpan.FromSeconds(5) };

    protected static async Task<bool> TableExistsAsync(AgentMember member)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'test' AND table_name = 't'", AgentCluster.Deadline());
        return result.Rows[0][0] == "1";
    }

    /// <summary>Inserts rows with the given ids through the root-equivalent account.</summary>
    protected static async Task InsertAsync(AgentMember member, IEnumerable<long> ids)
    {
        using var connection = await member.OpenMySqlAsync();
        foreach (var id in ids)
        {
            await connection.ExecuteAsync($"INSERT INTO test.t (id, note) VALUES ({id.ToString(CultureInfo.InvariantCulture)}, 'direct')", AgentCluster.Deadline());
        }
    }

    protected static async Task<HashSet<long>> IdsAsync(AgentMember member)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync("SELECT id FROM test.t", AgentCluster.Deadline());
        return result.Rows.Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToHashSet();
    }

    protected static async Task<bool> IsReadOnlyAsync(AgentMember member)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync("SELECT @@global.read_only", AgentCluster.Deadline());
        return result.Rows[0][0] == "1";
    }

    /// <summary>SHOW SLAVE STATUS, or null when the server is not a replica.</summary>
    protected static async Task<MySqlRow?> SlaveStatusAsync(AgentMember member)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync("SHOW SLAVE STATUS", AgentCluster.Deadline());
        return result.SingleRowOrDefault();
    }

    protected static async Task ExecuteAsync(AgentMember member, string sql)
    {
        using var connection = await member.OpenMySqlAsync();
        await connection.ExecuteAsync(sql, AgentCluster.Deadline());
    }

    /// <summary>The primary is writable and in the shard record; every other member is read-only and replicates from it.</summary>
    protected async Task AssertPrimaryAndReplicasAsync(AgentMember primary, IEnumerable<AgentMember>? replicas = null)
    {
        Assert.False(await IsReadOnlyAsync(primary), $"{primary.AliasText} should be writable");
        Assert.Null(await SlaveStatusAsync(primary));
        Assert.Equal(primary.AliasText, (await Cluster.ShardRecordAsync()).PrimaryAlias?.ToText());
        Assert.Equal(TabletType.Primary, (await primary.TabletRecordAsync()).Type);
        foreach (var replica in replicas ?? Cluster.Members.Where(m => m != primary))
        {
            await AssertReplicatesFromAsync(replica, primary);
        }
    }

    protected static async Task AssertReplicatesFromAsync(AgentMember replica, AgentMember primary)
    {
        Assert.True(await IsReadOnlyAsync(replica), $"{replica.AliasText} should be read-only");
        // The IO thread may still be connecting right after the repointing.
        await Poll.UntilAsync(async () => await SlaveStatusAsync(replica) is { } s && s["Slave_IO_Running"] == "Yes" && s["Slave_SQL_Running"] == "Yes",
            TimeSpan.FromSeconds(30), $"{replica.AliasText} runs both replication threads");
        var status = (await SlaveStatusAsync(replica))!;
        Assert.Equal(primary.Server.Port.ToString(CultureInfo.InvariantCulture), status["Master_Port"]);
        Assert.Equal(TabletType.Replica, (await replica.TabletRecordAsync()).Type);
    }

    /// <summary>Reports progress on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder events).</summary>
    private sealed class SynchronousProgress(Action<ReparentEvent> report) : IProgress<ReparentEvent>
    {
        public void Report(ReparentEvent value) => report(value);
    }
}
