using MySqlConnector;
using System.Globalization;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Grpc.Core;
using Vtorc.Protocol.Tablets;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>Semi-sync switched by the RPCs' semiSync flags, proven by what real commits do.</summary>
[NeedsExternalProcess]
public sealed class SemiSyncRpcTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    private const string NoTx = "Rpl_semi_sync_master_no_tx";
    private const string YesTx = "Rpl_semi_sync_master_yes_tx";
    private const string PrimaryStatus = "Rpl_semi_sync_master_status";

    [Fact]
    public async Task Semi_sync_follows_the_requested_flags_and_a_primary_without_acker_never_falls_back_to_asynchronous()
    {
        await BuildShardAsync(semiSync: true);
        var primary = await FullStatusAsync(Cluster[0]);
        Assert.True(primary.SemiSyncPrimaryEnabled);
        // The agent replaced the server's 1.5 s timeout by one that never expires.
        Assert.Equal(SemiSyncSettings.InfiniteTimeoutMilliseconds, primary.SemiSyncPrimaryTimeout);
        using (var admin = await Cluster[0].OpenMySqlAsync())
        {
            var noSlave = await admin.QueryAsync("SELECT @@GLOBAL.rpl_semi_sync_master_wait_no_slave", AgentCluster.Deadline());
            Assert.Equal("1", noSlave.Rows[0][0]);
        }
        Assert.True((await FullStatusAsync(Cluster[1])).SemiSyncReplicaEnabled);
        Assert.False((await FullStatusAsync(Cluster[1])).SemiSyncPrimaryEnabled);
        await Poll(async () => (await FullStatusAsync(Cluster[0])).SemiSyncPrimaryClients == 2, "both replicas acknowledge");

        // With ackers a commit is acknowledged.
        var before = await StatusAsync(Cluster[0]);
        await InsertRowsAsync(Cluster[0], 1);
        var acked = await StatusAsync(Cluster[0]);
        Assert.True(Count(acked, YesTx) > Count(before, YesTx), "the commit was acknowledged");
        Assert.Equal(Count(before, NoTx), Count(acked, NoTx));

        // Without ackers the commit waits, far beyond the server's configured 1.5 s, until an acker is back.
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        }
        var waiting = AppInsertAsync(Cluster[0]);
        await Poll(async () => Count(await StatusAsync(Cluster[0], WaitSessions), WaitSessions) > 0, "the insert waits for an acknowledgement");
        var beforeFallback = (await StatusAsync(Cluster[0]))[PrimaryStatus];
        await Poll(async () => (await FullStatusAsync(Cluster[0])).SemiSyncBlocked, "the agent reports the primary blocked (its heartbeat is stuck too)");
        Assert.Equal("ON", beforeFallback);
        Assert.Equal("ON", (await StatusAsync(Cluster[0]))[PrimaryStatus]);
        Assert.False(waiting.IsCompleted);
        await Cluster[1].CallAsync<StartReplicationRequest, StartReplicationResponse>("StartReplication", new StartReplicationRequest { SemiSync = true });
        await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Count(acked, NoTx), Count(await StatusAsync(Cluster[0]), NoTx));

        // Switched off on request: the replica stops acknowledging, the primary stops waiting.
        await Cluster[1].CallAsync<StartReplicationRequest, StartReplicationResponse>("StartReplication", new StartReplicationRequest { SemiSync = false });
        Assert.False((await FullStatusAsync(Cluster[1])).SemiSyncReplicaEnabled);
        await Cluster[0].CallAsync<UndoDemotePrimaryRequest, UndoDemotePrimaryResponse>("UndoDemotePrimary", new UndoDemotePrimaryRequest { SemiSync = false });
        var off = await FullStatusAsync(Cluster[0]);
        Assert.False(off.SemiSyncPrimaryEnabled);
        Assert.False(off.ReadOnly);
        var beforeAsync = await StatusAsync(Cluster[0]);
        await InsertRowsAsync(Cluster[0], 1);
        var afterAsync = await StatusAsync(Cluster[0]);
        Assert.Equal(Count(beforeAsync, NoTx), Count(afterAsync, NoTx));
        await WaitForRowsAsync(Cluster[1], 3);
    }

    [Fact]
    public async Task A_forced_DemotePrimary_with_a_commit_waiting_for_an_acknowledgement_kills_mysqld_and_the_restarted_server_no_longer_has_that_commit()
    {
        await BuildShardAsync(semiSync: true);
        await InsertRowsAsync(Cluster[0], 1);
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        }
        var positionBefore = await BinlogPositionAsync(Cluster[0]);
        var blocked = AppInsertAsync(Cluster[0]);
        await Poll(async () => Count(await StatusAsync(Cluster[0], WaitSessions), WaitSessions) > 0, "the insert waits for an acknowledgement");
        Assert.NotEqual(positionBefore, await BinlogPositionAsync(Cluster[0]));

        var refused = await Assert.ThrowsAsync<RpcException>(() => Cluster[0].CallAsync<DemotePrimaryRequest, DemotePrimaryResponse>("DemotePrimary",
            new DemotePrimaryRequest { Force = true }, TimeSpan.FromSeconds(20)));

        // Killing the waiting connection instead would have made MariaDB commit the row: the server would keep a
        // transaction no replica has. Its client was never told "committed".
        Assert.Contains(MySqldKilledToFence.Marker, refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MySqlCallException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(30)));
        await Poll(() => Task.FromResult(!Cluster[0].Server.IsRunning), "mysqld has exited");
        await Cluster[0].Server.StartAgainAsync(AgentCluster.Deadline(60));
        Assert.Equal(positionBefore, await BinlogPositionAsync(Cluster[0]));
        Assert.Equal(1, await CountRowsAsync(Cluster[0]));
        var readOnly = await Assert.ThrowsAsync<MySqlCallException>(() => AppInsertAsync(Cluster[0]));
        Assert.Equal(MySqlErrorCode.OptionPreventsStatement, readOnly.ErrorCode);
    }

    [Fact]
    public async Task An_agent_restarting_on_a_replaced_primary_whose_commit_waits_for_an_acknowledgement_kills_mysqld_and_still_serves()
    {
        // Chaos (PacketLoss, then KillAgent of the primary; the shard failed over while the agent was down): the
        // restarted agent's read-only switch found a commit waiting, killed mysqld to drop it and then refused to start.
        await BuildShardAsync(semiSync: true);
        await InsertRowsAsync(Cluster[0], 1);
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        }
        var positionBefore = await BinlogPositionAsync(Cluster[0]);
        await Cluster[0].KillAgentAsync();
        var blocked = AppInsertAsync(Cluster[0]);
        using (var admin = await Cluster[0].OpenMySqlAsync())
        {
            await Poll(async () => (await admin.QueryAsync($"SHOW GLOBAL STATUS LIKE '{WaitSessions}'", AgentCluster.Deadline())).Rows[0][1] != "0",
                "the insert waits for an acknowledgement");
        }
        await Cluster[1].CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>("PromoteReplica", new PromoteReplicaRequest { SemiSync = true });

        await Cluster[0].StartAgentAsync(AgentCluster.Deadline(60));

        await Assert.ThrowsAsync<MySqlCallException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(30)));
        await Poll(() => Task.FromResult(!Cluster[0].Server.IsRunning), "mysqld has exited");
        Assert.Equal(TabletType.Replica, (await Cluster[0].TabletRecordAsync()).Type);
        await Cluster[0].Server.StartAgainAsync(AgentCluster.Deadline(60));
        Assert.Equal(positionBefore, await BinlogPositionAsync(Cluster[0]));
        var readOnly = await Assert.ThrowsAsync<MySqlCallException>(() => AppInsertAsync(Cluster[0]));
        Assert.Equal(MySqlErrorCode.OptionPreventsStatement, readOnly.ErrorCode);
        Assert.Equal(TabletType.Replica, (await FullStatusAsync(Cluster[0])).TabletType);
    }

    private static async Task<string?> BinlogPositionAsync(AgentMember member)
    {
        using var admin = await member.OpenMySqlAsync();
        return (await admin.QueryAsync("SELECT @@GLOBAL.gtid_binlog_pos", AgentCluster.Deadline())).Rows[0][0];
    }

    [Fact]
    public async Task DemotePrimary_ends_a_long_unprivileged_write_that_holds_read_only_up_and_returns_with_the_server_read_only()
    {
        await BuildShardAsync();
        await InsertRowsAsync(Cluster[0], 1);
        using var app = await OpenLongAsync(Cluster[0].AppMySqlOptions);
        // Holds the switch to read_only for as long as it runs.
        var longWrite = app.ExecuteAsync("INSERT INTO test.t (note) SELECT SLEEP(600)", new CancellationTokenSource(TimeSpan.FromSeconds(700)).Token);
        using (var admin = await Cluster[0].OpenMySqlAsync())
        {
            await Poll(async () => (await admin.QueryAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO test.t%SLEEP%'",
                AgentCluster.Deadline())).Rows[0][0] == "1", "the long write runs");
        }

        await Cluster[0].CallAsync<DemotePrimaryRequest, DemotePrimaryResponse>("DemotePrimary", new DemotePrimaryRequest(), TimeSpan.FromSeconds(20));

        Assert.True((await FullStatusAsync(Cluster[0])).ReadOnly);
        await Assert.ThrowsAsync<MySqlCallException>(() => longWrite.WaitAsync(TimeSpan.FromSeconds(30)));
        var refused = await Assert.ThrowsAsync<MySqlCallException>(() => AppInsertAsync(Cluster[0]));
        Assert.Equal(MySqlErrorCode.OptionPreventsStatement, refused.ErrorCode);
        Assert.Equal(1, await CountRowsAsync(Cluster[0]));
    }

    [Fact]
    public async Task A_stale_waiter_is_acknowledged_through_the_monitor_heartbeat_once_replicas_acknowledge_again_and_the_primary_is_never_reported_blocked()
    {
        // Issue 12 finding 2: replicas' semi-sync switched off while a commit waited, then on again.
        await BuildShardAsync(semiSync: true);
        await InsertRowsAsync(Cluster[0], 1);
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await SetReplicaSemiSyncBySqlAsync(replica, on: false);
        }
        await Poll(async () => (await FullStatusAsync(Cluster[0])).SemiSyncPrimaryClients == 0, "no replica acknowledges");
        var noTxBefore = Count(await StatusAsync(Cluster[0]), NoTx);
        var waiter = AppInsertAsync(Cluster[0]);
        await Poll(async () => Count(await StatusAsync(Cluster[0], WaitSessions), WaitSessions) > 0, "the insert waits for an acknowledgement");
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await SetReplicaSemiSyncBySqlAsync(replica, on: true);
        }

        var reportedBlocked = false;
        await Poll(async () =>
        {
            reportedBlocked |= (await FullStatusAsync(Cluster[0])).SemiSyncBlocked;
            return waiter.IsCompleted;
        }, "the waiting insert returns");
        await waiter;
        Assert.False(reportedBlocked, "FullStatus reported semi_sync_blocked although acknowledgements were possible");
        Assert.True(Cluster[0].Agent!.SemiSyncMonitor.AcknowledgedWrites >= 1, "the monitor's heartbeat released the waiter");
        Assert.Equal(noTxBefore, Count(await StatusAsync(Cluster[0]), NoTx));
        Assert.Equal("ON", (await StatusAsync(Cluster[0]))[PrimaryStatus]);
    }

    /// <summary>A connection whose reads wait up to 5 minutes (a commit may wait that long for an acknowledgement).</summary>
    private static Task<MySqlConnection> OpenLongAsync(MySqlConnectionOptions options) =>
        MySqlCalls.OpenAsync(options with { CommandTimeout = TimeSpan.FromMinutes(5) }, AgentCluster.Deadline());

    /// <summary>What an operator does by hand: the variable, then a reconnect of the IO thread so the primary learns of it.</summary>
    private static async Task SetReplicaSemiSyncBySqlAsync(AgentMember replica, bool on)
    {
        using var admin = await replica.OpenMySqlAsync();
        await admin.ExecuteAsync($"SET GLOBAL rpl_semi_sync_slave_enabled = {(on ? "ON" : "OFF")}", AgentCluster.Deadline());
        await admin.ExecuteAsync("STOP SLAVE IO_THREAD", AgentCluster.Deadline());
        await admin.ExecuteAsync("START SLAVE IO_THREAD", AgentCluster.Deadline());
    }

    /// <summary>One row inserted by the unprivileged account (test.t exists).</summary>
    private static async Task AppInsertAsync(AgentMember member)
    {
        using var app = await OpenLongAsync(member.AppMySqlOptions);
        await app.ExecuteAsync("INSERT INTO test.t (note) VALUES ('app')", new CancellationTokenSource(TimeSpan.FromSeconds(300)).Token);
    }

    private const string WaitSessions = "Rpl_semi_sync_master_wait_sessions";

    private static async Task<IDictionary<string, string>> StatusAsync(AgentMember member, string name) =>
        (await member.CallAsync<GetGlobalStatusVarsRequest, GetGlobalStatusVarsResponse>("GetGlobalStatusVars",
            new GetGlobalStatusVarsRequest { Variables = { name } })).StatusValues;

    private static async Task<IDictionary<string, string>> StatusAsync(AgentMember member) =>
        (await member.CallAsync<GetGlobalStatusVarsRequest, GetGlobalStatusVarsResponse>("GetGlobalStatusVars",
            new GetGlobalStatusVarsRequest { Variables = { NoTx, YesTx, PrimaryStatus } })).StatusValues;

    private static long Count(IDictionary<string, string> values, string name) => long.Parse(values[name], CultureInfo.InvariantCulture);

    private static Task Poll(Func<Task<bool>> condition, string what) =>
        Vtorc.Testing.Poll.UntilAsync(condition, TimeSpan.FromSeconds(30), what);
}
