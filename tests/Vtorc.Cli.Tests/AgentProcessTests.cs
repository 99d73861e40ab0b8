using System.Diagnostics;
using Replicationdata;
using Tabletmanagerdata;
using Topodata;
using Vtorc.LocalCluster;
using Grpc.Core;
using Xunit.Abstractions;

namespace Vtorc.Cli.Tests;

/// <summary>
/// <see cref="AgentCluster"/> with every tablet agent in its own `vtorc tablet` process: real registration, a real
/// SIGKILL by pid and a real SIGTERM. Each test has its own two-member cluster, torn down by pid even when it fails.
/// </summary>
[Collection(AgentProcessCollection.Name)]
[NeedsExternalProcess]
public sealed class AgentProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestOutputLoggerFactory _loggers = new(output);
    private AgentCluster? _cluster;

    private AgentCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    public async Task InitializeAsync() =>
        _cluster = await AgentCluster.StartAsync(2, _loggers, hosting: AgentHosting.Process, cancellationToken: AgentCluster.Deadline(180));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            foreach (var member in _cluster.Members)
            {
                if (member.AgentLogPath is { } log)
                {
                    output.WriteLine($"--- agent log of {member.AliasText} ({log}) ---\n{LogFiles.Tail(log, 40)}");
                }
            }
            await _cluster.DisposeAsync();
        }
        _loggers.Dispose();
    }

    [Fact]
    public async Task Agents_run_as_their_own_processes_register_their_grpc_port_and_answer_FullStatus()
    {
        foreach (var member in Cluster.Members)
        {
            var pid = Assert.IsType<int>(member.AgentPid);
            Assert.NotEqual(Environment.ProcessId, pid);
            Assert.True(IsAlive(pid), $"agent process {pid} of {member.AliasText} runs");
            Assert.Null(member.Agent);

            var record = await member.TabletRecordAsync();
            Assert.Equal(member.GrpcPort, record.PortMap["grpc"]);
            Assert.Equal(member.Server.Port, record.MysqlPort);
            Assert.Equal(TabletType.Replica, record.Type);
            Assert.NotNull(record.TabletStartTime);
            Assert.Null(record.TabletShutdownTime);

            var status = await FullStatusAsync(member);
            Assert.Equal(TabletType.Replica, status.TabletType);
            Assert.Equal((uint)member.Server.ServerId, status.ServerId);
        }
    }

    [Fact]
    public async Task A_SIGKILLed_agent_makes_FullStatus_fail_with_UNAVAILABLE_while_mysqld_runs_and_answers_again_after_a_restart()
    {
        var member = Cluster[1];
        await FullStatusAsync(member);
        var pid = member.AgentPid ?? throw new InvalidOperationException("no agent process");
        var port = member.GrpcPort;

        await member.KillAgentAsync();

        Assert.False(IsAlive(pid), $"agent process {pid} is gone");
        Assert.Null(member.AgentPid);
        Assert.True(member.Server.IsRunning, "mysqld still runs");
        // UNAVAILABLE, not DEADLINE_EXCEEDED: the call failed before its deadline.
        var error = await Assert.ThrowsAsync<RpcException>(() => FullStatusAsync(member, TimeSpan.FromSeconds(5)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        // A crash leaves the record as it was: no shutdown time.
        Assert.Null((await member.TabletRecordAsync()).TabletShutdownTime);

        await member.StartAgentAsync(AgentCluster.Deadline(120));

        var restarted = member.AgentPid ?? throw new InvalidOperationException("no agent process after the restart");
        Assert.NotEqual(pid, restarted);
        Assert.Equal(port, member.GrpcPort);
        Assert.Equal(TabletType.Replica, (await FullStatusAsync(member)).TabletType);
        Assert.Equal(port, (await member.TabletRecordAsync()).PortMap["grpc"]);
    }

    [Fact]
    public async Task SIGTERM_shuts_an_agent_process_down_cleanly_and_a_restart_clears_the_shutdown_time()
    {
        var member = Cluster[0];
        var pid = member.AgentPid ?? throw new InvalidOperationException("no agent process");

        // Throws unless the process exited by itself with code 0 after SIGTERM.
        await member.StopAgentAsync();

        Assert.False(IsAlive(pid), $"agent process {pid} is gone");
        var stopped = await member.TabletRecordAsync();
        Assert.NotNull(stopped.TabletShutdownTime);
        var error = await Assert.ThrowsAsync<RpcException>(() => FullStatusAsync(member, TimeSpan.FromSeconds(5)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(TabletType.Replica, (await FullStatusAsync(Cluster[1])).TabletType);

        await member.StartAgentAsync(AgentCluster.Deadline(120));
        var started = await member.TabletRecordAsync();
        Assert.Null(started.TabletShutdownTime);
        Assert.Equal(stopped.PortMap["grpc"], started.PortMap["grpc"]);
    }

    [Fact]
    public async Task A_restarted_agent_process_of_a_stale_primary_is_ready_only_after_it_has_demoted_itself()
    {
        await Cluster[0].CallAsync<InitPrimaryRequest, InitPrimaryResponse>("InitPrimary", new InitPrimaryRequest());
        await Cluster[1].CallAsync<SetReplicationSourceRequest, SetReplicationSourceResponse>("SetReplicationSource",
            new SetReplicationSourceRequest { Parent = Cluster[0].Alias, ForceStartReplication = true });
        await Cluster[0].KillAgentAsync();
        await Cluster[1].CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>("PromoteReplica", new PromoteReplicaRequest());
        Assert.Equal(TabletType.Primary, (await Cluster[0].TabletRecordAsync()).Type);

        await Cluster[0].StartAgentAsync(AgentCluster.Deadline(120));

        Assert.Equal(TabletType.Replica, (await Cluster[0].TabletRecordAsync()).Type);
        var status = await FullStatusAsync(Cluster[0]);
        Assert.Equal(TabletType.Replica, status.TabletType);
        Assert.True(status.ReadOnly);
        Assert.Equal(Cluster[1].Server.Port, status.ReplicationStatus.SourcePort);
    }

    [Fact]
    public async Task Disposing_the_cluster_ends_every_agent_process()
    {
        var pids = Cluster.Members.Select(m => m.AgentPid ?? throw new InvalidOperationException($"no agent process for {m.AliasText}")).ToList();
        Assert.All(pids, pid => Assert.True(IsAlive(pid)));

        await Cluster.DisposeAsync();

        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"agent process {pid} is gone"));
    }

    private static async Task<FullStatus> FullStatusAsync(AgentMember member, TimeSpan? timeout = null) =>
        (await member.CallAsync<FullStatusRequest, FullStatusResponse>("FullStatus", new FullStatusRequest(), timeout)).Status;

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>One process-hosted cluster at a time on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class AgentProcessCollection
{
    public const string Name = "agent-process-cluster";
}
