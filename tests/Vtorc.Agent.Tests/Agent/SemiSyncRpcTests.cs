using Vtorc.LocalCluster;
using System.Globalization;
using Tabletmanagerdata;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>Semi-sync switched by the RPCs' semiSync flags, proven by what real commits do.</summary>
public sealed class SemiSyncRpcTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    private const string NoTx = "Rpl_semi_sync_master_no_tx";
    private const string YesTx = "Rpl_semi_sync_master_yes_tx";
    private const string PrimaryStatus = "Rpl_semi_sync_master_status";

    [Fact]
    public async Task Semi_sync_follows_the_requested_flags_and_a_primary_without_acker_holds_a_commit_until_its_timeout()
    {
        await BuildShardAsync(semiSync: true);
        var primary = await FullStatusAsync(Cluster[0]);
        Assert.True(primary.SemiSyncPrimaryEnabled);
        Assert.Equal((ulong)SemiSyncTimeoutMs, primary.SemiSyncPrimaryTimeout);
        Assert.True((await FullStatusAsync(Cluster[1])).SemiSyncReplicaEnabled);
        Assert.False((await FullStatusAsync(Cluster[1])).SemiSyncPrimaryEnabled);
        await Poll(async () => (await FullStatusAsync(Cluster[0])).SemiSyncPrimaryClients == 2, "both replicas acknowledge");

        // With ackers a commit is acknowledged.
        var before = await StatusAsync(Cluster[0]);
        await InsertRowsAsync(Cluster[0], 1);
        var acked = await StatusAsync(Cluster[0]);
        Assert.True(Count(acked, YesTx) > Count(before, YesTx), "the commit was acknowledged");
        Assert.Equal(Count(before, NoTx), Count(acked, NoTx));

        // Without ackers the commit waits the full timeout, then the primary falls back to asynchronous.
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        }
        Assert.Equal("ON", (await StatusAsync(Cluster[0]))[PrimaryStatus]);
        await InsertRowsAsync(Cluster[0], 1);
        var unacked = await StatusAsync(Cluster[0]);
        Assert.True(Count(unacked, NoTx) > Count(acked, NoTx), "the commit was not acknowledged");
        Assert.Equal("OFF", unacked[PrimaryStatus]);

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
    public async Task A_forced_DemotePrimary_releases_a_commit_waiting_for_an_acknowledgement_and_leaves_the_primary_read_only()
    {
        await BuildShardAsync(semiSync: true);
        await InsertRowsAsync(Cluster[0], 1);
        using (var admin = await Cluster[0].OpenMySqlAsync())
        {
            // Long enough that only the demotion can end the wait before the test's deadlines.
            await admin.ExecuteAsync("SET GLOBAL rpl_semi_sync_master_timeout = 600000", AgentCluster.Deadline());
        }
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        }
        var blocked = InsertRowsAsync(Cluster[0], 1);
        await Poll(async () => Count(await StatusAsync(Cluster[0], WaitSessions), WaitSessions) > 0, "the insert waits for an acknowledgement");
        Assert.False(blocked.IsCompleted);

        var demoted = await Cluster[0].CallAsync<DemotePrimaryRequest, DemotePrimaryResponse>("DemotePrimary", new DemotePrimaryRequest { Force = true },
            TimeSpan.FromSeconds(20));

        await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        var status = await FullStatusAsync(Cluster[0]);
        Assert.True(status.ReadOnly);
        Assert.False(status.SemiSyncPrimaryEnabled);
        Assert.NotEmpty(demoted.PrimaryStatus.Position);
    }

    [Fact]
    public async Task FullStatus_reports_semi_sync_blocked_once_a_commit_waits_without_acknowledgement_and_not_after_it_returns()
    {
        await BuildShardAsync(semiSync: true);
        await InsertRowsAsync(Cluster[0], 1);
        using (var admin = await Cluster[0].OpenMySqlAsync())
        {
            // Longer than the agent's stall threshold (5 s of waiting without an acknowledgement) with a wide margin,
            // short enough that the insert then returns on its own.
            await admin.ExecuteAsync("SET GLOBAL rpl_semi_sync_master_timeout = 20000", AgentCluster.Deadline());
        }
        foreach (var replica in Cluster.Members.Skip(1))
        {
            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        }
        Assert.False((await FullStatusAsync(Cluster[0])).SemiSyncBlocked);

        var blocked = InsertRowsAsync(Cluster[0], 1);
        await Poll(async () => (await FullStatusAsync(Cluster[0])).SemiSyncBlocked, "FullStatus reports semi_sync_blocked");
        Assert.False(blocked.IsCompleted);
        Assert.False((await FullStatusAsync(Cluster[1])).SemiSyncBlocked);

        await blocked.WaitAsync(TimeSpan.FromSeconds(60));
        var after = await FullStatusAsync(Cluster[0]);
        Assert.False(after.SemiSyncBlocked);
        Assert.True(after.SemiSyncPrimaryEnabled);
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
