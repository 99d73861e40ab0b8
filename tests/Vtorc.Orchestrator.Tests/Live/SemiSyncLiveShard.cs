using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// What the semi-sync live tests share: a shard under durability semi_sync with a daemon, a first primary, both replicas
/// acknowledging and a table test.t; and the SQL reads and unprivileged writes they check it with.
/// </summary>
internal static class SemiSyncLiveShard
{
    /// <summary>Sets durability semi_sync, starts a daemon, waits for a primary with two ackers and creates test.t (id BIGINT).</summary>
    public static async Task<(Daemon.OrchestratorDaemon Daemon, AgentMember Primary)> StartAsync(LiveCluster live, TimeSpan deadline,
        Func<Daemon.OrchestratorOptions, Daemon.OrchestratorOptions>? configure = null)
    {
        await live.Cluster.Topo.Keyspaces.UpdateFieldsAsync(LiveCluster.Keyspace, k => k.DurabilityPolicy = "semi_sync", AgentCluster.Deadline());
        var daemon = await live.StartDaemonAsync(configure);
        var primary = await live.WaitForHealthyShardAsync(deadline, "a first primary was elected");
        await Poll.UntilAsync(async () => await StatusAsync(primary, "Rpl_semi_sync_master_clients") == "2", deadline,
            "both replicas are connected as semi-sync ackers");
        await LiveTestTable.CreateAsync(primary);
        return (daemon, primary);
    }

    /// <summary>Slave_IO_State, or null when the server is no replica.</summary>
    public static async Task<string?> IoStateAsync(AgentMember replica) => (await replica.ReplicaStatusAsync())?["Slave_IO_State"];

    public static async Task<string> StatusAsync(AgentMember member, string name) =>
        (await member.QueryAsync($"SHOW GLOBAL STATUS LIKE '{name}'")).Rows[0][1]!;

    /// <summary>One row written by the unprivileged account on a connection that waits as long as the commit does.</summary>
    public static async Task AppInsertAsync(AgentMember member, long id)
    {
        using var app = await MySqlCalls.OpenAsync(member.AppMySqlOptions with { CommandTimeout = TimeSpan.FromMinutes(5) }, AgentCluster.Deadline());
        await app.ExecuteAsync($"INSERT INTO test.t (id) VALUES ({id.ToString(CultureInfo.InvariantCulture)})",
            new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
    }
}
