using Vtorc.LocalCluster;
using System.Diagnostics;
using Tabletmanagerdata;
using Topodata;
using Grpc.Core;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>What the agent does when its mysqld dies or hangs, and when it comes back as a stale primary.</summary>
[NeedsExternalProcess]
public sealed class FailureTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task FullStatus_of_a_tablet_whose_mysqld_was_SIGKILLed_fails_with_UNAVAILABLE_and_recovers_when_mysqld_is_back()
    {
        await BuildShardAsync();
        await FullStatusAsync(Cluster[1]);

        Cluster[1].Server.Kill();
        var error = await FailsAsync(() => FullStatusAsync(Cluster[1], TimeSpan.FromSeconds(5)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("FullStatus", error.Status.Detail);
        Assert.Matches(@"\(errno 20\d\d\)", error.Status.Detail);

        await Cluster[1].Server.StartAgainAsync(AgentCluster.Deadline(60));
        var status = await FullStatusAsync(Cluster[1]);
        Assert.Equal(TabletType.Replica, status.TabletType);
    }

    [Fact]
    public async Task FullStatus_of_a_tablet_whose_mysqld_hangs_fails_with_UNAVAILABLE_before_the_call_deadline()
    {
        await BuildShardAsync();
        await FullStatusAsync(Cluster[2]);
        var pid = Cluster[2].Server.Pid ?? throw new InvalidOperationException("mysqld is not running");
        Signal("STOP", pid);
        try
        {
            // 10 s gives the agent its largest margin (1 s) to answer before the caller's deadline: with 3 s (a 300 ms
            // margin) a loaded CI machine once let the deadline pass first.
            var error = await FailsAsync(() => FullStatusAsync(Cluster[2], TimeSpan.FromSeconds(10)));
            // UNAVAILABLE (not DEADLINE_EXCEEDED) shows the agent answered before the caller's deadline.
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Contains("FullStatus", error.Status.Detail);
        }
        finally
        {
            Signal("CONT", pid);
        }
        await Vtorc.Testing.Poll.UntilAsync(async () =>
        {
            try
            {
                await FullStatusAsync(Cluster[2], TimeSpan.FromSeconds(5));
                return true;
            }
            catch (RpcException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "FullStatus answers again after SIGCONT");
    }

    [Fact]
    public async Task A_restarted_agent_of_a_stale_primary_demotes_itself_and_replicates_from_the_new_primary()
    {
        await BuildShardAsync();
        await InsertRowsAsync(Cluster[0], 2);
        await WaitForRowsAsync(Cluster[1], 2);

        // The primary's agent dies; the shard is failed over to member 1 meanwhile.
        await Cluster[0].CrashAgentAsync();
        await Cluster[1].CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>("PromoteReplica", new PromoteReplicaRequest());
        await ReplicateFromAsync(Cluster[2], Cluster[1]);
        Assert.Equal(TabletType.Primary, (await Cluster[0].TabletRecordAsync()).Type);

        await Cluster[0].StartAgentAsync(AgentCluster.Deadline(60));

        Assert.Equal(TabletType.Replica, Cluster[0].Agent!.CurrentType);
        var record = await Cluster[0].TabletRecordAsync();
        Assert.Equal(TabletType.Replica, record.Type);
        Assert.Null(record.PrimaryTermStartTime);
        Assert.True(SameAlias((await Cluster.ShardRecordAsync()).PrimaryAlias, Cluster[1].Alias));
        var status = await FullStatusAsync(Cluster[0]);
        Assert.True(status.ReadOnly);
        Assert.Equal(TabletType.Replica, status.TabletType);
        Assert.Equal(Cluster[1].Server.Port, status.ReplicationStatus.SourcePort);

        await InsertRowsAsync(Cluster[1], 3);
        await WaitForRowsAsync(Cluster[0], 5);
    }

    [Fact]
    public async Task A_clean_stop_records_the_shutdown_time_and_a_restart_clears_it()
    {
        await Cluster[2].StopAgentAsync();
        var stopped = await Cluster[2].TabletRecordAsync();
        Assert.NotNull(stopped.TabletShutdownTime);

        await Cluster[2].StartAgentAsync(AgentCluster.Deadline(60));
        var started = await Cluster[2].TabletRecordAsync();
        Assert.Null(started.TabletShutdownTime);
        Assert.NotNull(started.TabletStartTime);
        Assert.Equal(stopped.PortMap["grpc"], started.PortMap["grpc"]);
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("cannot run kill");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
