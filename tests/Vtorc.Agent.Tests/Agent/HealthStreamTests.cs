using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Query;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Testing;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>The agent's health stream (queryservice.Query/StreamHealth) against real MariaDB: docs/wire-format.md, "The health stream".</summary>
[NeedsExternalProcess]
public sealed class HealthStreamTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task The_first_message_arrives_on_subscribe_with_the_tablets_target_alias_and_type()
    {
        await BuildShardAsync();
        await using var stream = new HealthStreamRecorder(Cluster[1]);

        var first = await stream.WaitForAsync(_ => true, "a first snapshot");

        Assert.Equal(Vtorc.LocalCluster.AgentCluster.Keyspace, first.Target.Keyspace);
        Assert.Equal(Vtorc.LocalCluster.AgentCluster.Shard, first.Target.Shard);
        Assert.Equal(TabletType.Replica, first.Target.TabletType);
        Assert.Equal(Cluster[1].Alias.Cell, first.Target.Cell);
        Assert.True(SameAlias(first.TabletAlias, Cluster[1].Alias), $"alias {first.TabletAlias} is not {Cluster[1].AliasText}");
        Assert.Equal(0, first.PrimaryTermStartTimestamp);
        Assert.NotNull(first.RealtimeStats);
        // The steady interval (--health-check-interval, 1 s by default) a listener may time out on.
        Assert.Equal(1000u, first.HeartbeatIntervalMs);
    }

    [Fact]
    public async Task A_replica_that_replicates_is_serving_and_one_whose_replication_stopped_reports_it()
    {
        await BuildShardAsync();
        await using var stream = new HealthStreamRecorder(Cluster[2]);
        await stream.WaitForAsync(m => m.Serving && m.RealtimeStats.HealthError.Length == 0, "a serving snapshot of the replica");

        var seen = stream.Received.Count;
        await Cluster[2].CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());

        var stopped = await stream.WaitForAsync(m => m.RealtimeStats.HealthError.Length > 0, "a snapshot reporting stopped replication", seen);
        Assert.Equal("replication is not running", stopped.RealtimeStats.HealthError);
        Assert.False(stopped.Serving);
    }

    [Fact]
    public async Task A_type_change_to_primary_is_sent_with_the_new_type_and_a_term_start()
    {
        await BuildShardAsync();
        await using var stream = new HealthStreamRecorder(Cluster[1]);
        await stream.WaitForAsync(m => m.Target.TabletType == TabletType.Replica, "the replica's first snapshot");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await Cluster[1].CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>("PromoteReplica", new PromoteReplicaRequest());

        var promoted = await stream.WaitForAsync(m => m.Target.TabletType == TabletType.Primary, "a snapshot with type PRIMARY");
        Assert.True(promoted.PrimaryTermStartTimestamp >= before - 1, $"term start {promoted.PrimaryTermStartTimestamp} is older than the promotion ({before})");
        var record = await Cluster[1].TabletRecordAsync();
        Assert.Equal(record.PrimaryTermStartTime.Seconds, promoted.PrimaryTermStartTimestamp);

        var seen = stream.Received.Count;
        await Cluster[1].CallAsync<ChangeTypeRequest, ChangeTypeResponse>("ChangeType", new ChangeTypeRequest { TabletType = TabletType.Drained });
        var drained = await stream.WaitForAsync(m => m.Target.TabletType == TabletType.Drained, "a snapshot with type DRAINED", seen);
        Assert.Equal(0, drained.PrimaryTermStartTimestamp);
        Assert.False(drained.Serving);
    }

    [Fact]
    public async Task A_SIGKILLed_mysqld_is_reported_in_health_error_naming_mysqld_and_cleared_when_it_is_back()
    {
        await BuildShardAsync();
        var primary = Cluster[0];
        await using var stream = new HealthStreamRecorder(primary);
        await stream.WaitForAsync(m => m.Serving && m.RealtimeStats.HealthError.Length == 0, "a healthy snapshot of the primary");

        var seen = stream.Received.Count;
        primary.Server.Kill();
        var lost = await stream.WaitForAsync(m => m.RealtimeStats.HealthError.Length > 0, "a snapshot reporting the dead mysqld", seen);
        Assert.Contains($"mysqld at {primary.Server.Host}:{primary.Server.Port.ToString(CultureInfo.InvariantCulture)}", lost.RealtimeStats.HealthError);
        Assert.False(lost.Serving);
        Assert.Equal(TabletType.Primary, lost.Target.TabletType);

        seen = stream.Received.Count;
        await primary.Server.StartAgainAsync(Vtorc.LocalCluster.AgentCluster.Deadline(60));
        var back = await stream.WaitForAsync(m => m.RealtimeStats.HealthError.Length == 0, "a healthy snapshot after the restart", seen);
        Assert.True(back.Serving);
    }

    [Fact]
    public async Task A_SIGSTOPped_mysqld_is_reported_by_the_liveness_probe_and_cleared_after_SIGCONT()
    {
        await BuildShardAsync();
        var primary = Cluster[0];
        await using var stream = new HealthStreamRecorder(primary);
        await stream.WaitForAsync(m => m.Serving && m.RealtimeStats.HealthError.Length == 0, "a healthy snapshot of the primary");

        var seen = stream.Received.Count;
        var pid = primary.Server.Pid ?? throw new InvalidOperationException("mysqld is not running");
        Signal("STOP", pid);
        try
        {
            var stopped = await stream.WaitForAsync(m => m.RealtimeStats.HealthError.Length > 0, "a snapshot reporting the unresponsive mysqld", seen);
            Assert.Contains("did not answer", stopped.RealtimeStats.HealthError);
            Assert.Contains($"{primary.Server.Port.ToString(CultureInfo.InvariantCulture)}", stopped.RealtimeStats.HealthError);
            Assert.False(stopped.Serving);
        }
        finally
        {
            Signal("CONT", pid);
        }
        seen = stream.Received.Count;
        await stream.WaitForAsync(m => m.Serving && m.RealtimeStats.HealthError.Length == 0, "a healthy snapshot after SIGCONT", seen);
    }

    [Fact]
    public async Task A_client_that_cancels_ends_the_stream_on_both_sides()
    {
        var agent = Cluster[1].Agent ?? throw new InvalidOperationException("in-process agent expected");
        var stream = new HealthStreamRecorder(Cluster[1]);
        await stream.WaitForAsync(_ => true, "a first snapshot");
        await Poll.UntilAsync(() => Task.FromResult(agent.Health.SubscriberCount == 1), TimeSpan.FromSeconds(30), "one subscriber on the agent");

        await stream.CancelAsync();

        Assert.IsAssignableFrom<OperationCanceledException>(stream.Failure);
        await Poll.UntilAsync(() => Task.FromResult(agent.Health.SubscriberCount == 0), TimeSpan.FromSeconds(30),
            "the agent's side of the stream ended");
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_the_agent_ends_its_streams_normally()
    {
        await using var stream = new HealthStreamRecorder(Cluster[2]);
        await stream.WaitForAsync(_ => true, "a first snapshot");

        await Cluster[2].StopAgentAsync();

        await stream.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(stream.Failure);
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_is_dropped_with_RESOURCE_EXHAUSTED_when_its_buffer_overflows()
    {
        var agent = Cluster[0].Agent ?? throw new InvalidOperationException("in-process agent expected");
        // Never read: the steady interval fills the buffer (20 snapshots) within about 20 intervals.
        using var subscription = agent.Health.Subscribe();
        await Poll.UntilAsync(() => Task.FromResult(subscription.Dropped.IsCancellationRequested), TimeSpan.FromSeconds(180),
            "the subscriber dropped for overflowing its buffer");

        var queued = 0;
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in subscription.Reader.ReadAllAsync())
            {
                queued++;
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(Vtorc.Agent.Health.TabletHealthBroadcaster.DefaultBufferSize, queued);
        Assert.Equal(0, agent.Health.SubscriberCount);
    }

    [Fact]
    public async Task Query_methods_other_than_StreamHealth_answer_UNIMPLEMENTED()
    {
        var agent = Cluster[0].Agent ?? throw new InvalidOperationException("in-process agent expected");
        using var channel = Vtorc.Protocol.Rpc.RpcChannels.Create(agent.GrpcAddress);
        // queryservice.Query/Execute takes a query.ExecuteRequest; an empty message is a valid one on the wire.
        var execute = new Method<StreamHealthRequest, StreamHealthResponse>(MethodType.Unary, "queryservice.Query", "Execute",
            Marshallers.Create(m => m.ToByteArray(), StreamHealthRequest.Parser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), StreamHealthResponse.Parser.ParseFrom));
        var error = await FailsAsync(() => channel.CreateCallInvoker().AsyncUnaryCall(execute, null,
            new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), new StreamHealthRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("cannot run kill");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
