using Replicationdata;
using Topodata;
using Grpc.Core;
using Status = Replicationdata.Status;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Operations;

/// <summary>ERS control flow against an in-memory topology and fake tablets: which RPCs, in which order, with which arguments.</summary>
public sealed class EmergencyReparentShardTests
{
    private static readonly string P100 = TestShard.Alias("zone1", 100);
    private static readonly string R101 = TestShard.Alias("zone1", 101);
    private static readonly string R102 = TestShard.Alias("zone1", 102);

    private static string Pos(string range) => $"MySQL56/{UuidA}:{range}";

    /// <summary>Primary zone1-100 (named in the shard record), replicas zone1-101 and zone1-102.</summary>
    private async Task<TestShard> ShardWithPrimaryAsync(string durability, TabletType type101 = TabletType.Replica)
    {
        var shard = await TestShard.CreateAsync(durability);
        await shard.AddTabletAsync("zone1", 100, TabletType.Primary);
        await shard.AddTabletAsync("zone1", 101, type101);
        await shard.AddTabletAsync("zone1", 102);
        await shard.SetShardPrimaryAsync("zone1", 100);
        return shard;
    }

    private static EmergencyReparentShard Ers(TestShard shard, FakeTabletManager fake) =>
        new(shard.Topo, fake, TestShard.Durability);

    [Fact]
    public async Task Returns_only_once_a_repoint_still_running_at_the_settle_bound_was_cancelled()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        string r103 = TestShard.Alias("zone1", 103);
        await shard.AddTabletAsync("zone1", 103);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-8"), UuidA);
        fake.StoppedAt(r103, Pos("1-9"), UuidA);
        fake.Returns(R101, "PromoteReplica", Pos("1-10"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.On(R102, "SetReplicationSource", async (_, ct) =>
        {
            try
            {
                await release.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
            return null;
        });
        var events = new EventRecorder();
        // Only the settle bound can end R102's repoint: the wait-replicas-timeout is far beyond the test's deadline.
        var options = new EmergencyReparentOptions { WaitReplicasTimeout = TimeSpan.FromMinutes(30), SettleReplicasTimeout = TimeSpan.FromSeconds(1) };

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, options, events, cancellationToken: TestShard.Deadline());

        Assert.Equal(R101, result.NewPrimary);
        Assert.True(cancelled.Task.IsCompleted, "ERS returned (and released its lock) with R102's repoint still running: " + events);
        Assert.True(result.ReplicasSettled.IsCompleted);
        Assert.False(release.Task.IsCompleted);
        Assert.True(events.Has(ReparentEventKind.Success, $"repointed {r103} to {R101}"), events.ToString());
        Assert.True(events.Has(ReparentEventKind.Warning, "cancelled so that none lands after the shard lock is released"), events.ToString());
        Assert.Empty(await shard.Topo.Locks.GetQueueAsync(Vtorc.Topo.TopoLocks.ShardPath(TestShard.Keyspace, TestShard.Shard), TestShard.Deadline()));
    }

    [Fact]
    public async Task Promotes_the_equally_advanced_replica_whose_FullStatus_reports_the_lower_server_version()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-10"), UuidA);
        fake.Returns(R101, "FullStatus", new FullStatus { Version = "8.4.3", VersionComment = "MySQL Community Server - GPL" });
        fake.Returns(R102, "FullStatus", new FullStatus { Version = "8.0.40", VersionComment = "MySQL Community Server - GPL" });
        fake.Returns(R102, "PromoteReplica", Pos("1-10"));
        var events = new EventRecorder();

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions(), events,
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R102, result.NewPrimary);
        Assert.Contains(fake.CallsTo("FullStatus"), c => c.Alias == R101);
        Assert.DoesNotContain(fake.CallsTo("PromoteReplica"), c => c.Alias == R101);
    }

    [Fact]
    public async Task Promotes_the_most_advanced_replica_after_relay_logs_and_repoints_the_others()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-8"), UuidA);
        fake.Returns(R101, "PromoteReplica", Pos("1-10"));
        var events = new EventRecorder();

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions(), events,
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R101, result.NewPrimary);
        Assert.Equal(P100, result.PreviousPrimary);
        Assert.All(fake.CallsTo("StopReplicationAndGetStatus"), c => Assert.Equal("mode=Iothreadonly", c.Args));
        Assert.Equal(3, fake.CallsTo("StopReplicationAndGetStatus").Count);
        int lastStop = fake.CallsTo("StopReplicationAndGetStatus").Max(c => c.Sequence);
        Assert.True(fake.IndexOf("WaitForPosition", R101) > lastStop, events.ToString());
        Assert.True(fake.IndexOf("WaitForPosition", R102) > lastStop);
        Assert.Equal($"position={Pos("1-8")}", fake.CallsTo("WaitForPosition").Single(c => c.Alias == R102).Args);
        Assert.True(fake.IndexOf("ReadReparentJournalInfo", R101) > fake.IndexOf("WaitForPosition", R101));
        Assert.True(fake.IndexOf("PromoteReplica", R101) > fake.IndexOf("ReadReparentJournalInfo", R102));
        Assert.True(fake.IndexOf("PopulateReparentJournal", R101) > fake.IndexOf("PromoteReplica", R101));
        Assert.Empty(fake.CallsTo("InitPrimary"));
        var journal = fake.CallsTo("PopulateReparentJournal").Single();
        Assert.Contains($"action=EmergencyReparentShard primary={R101} position={Pos("1-10")}", journal.Args);
        var repoints = fake.CallsTo("SetReplicationSource");
        Assert.Equal([P100, R102], repoints.Select(c => c.Alias).Order().ToArray());
        Assert.All(repoints, c => Assert.StartsWith($"parent={R101} timeCreatedNs=0 wait= ", c.Args));
        Assert.Contains("force=True", repoints.Single(c => c.Alias == R102).Args);
        Assert.Contains("force=False", repoints.Single(c => c.Alias == P100).Args);
        Assert.Empty(fake.CallsTo("StartReplication"));
        Assert.True(events.Has(ReparentEventKind.Success, $"stopped replication on {R101} (IO thread), position {Pos("1-10")}"), events.ToString());
        Assert.True(events.Has(ReparentEventKind.Success, $"repointed {R102} to {R101}"), events.ToString());
        Assert.True(events.Has(ReparentEventKind.Warning, $"could not repoint {P100}"), events.ToString());
    }

    [Fact]
    public async Task Force_demotes_a_tablet_that_answers_not_a_replica()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.NotAReplica(P100);
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-9") });
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-9"), UuidA);
        var events = new EventRecorder();

        // All three answer; waiting for all keeps the test from depending on which two answer first.
        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions { WaitForAllTablets = true }, events,
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal("force=True", fake.CallsTo("DemotePrimary").Single(c => c.Alias == P100).Args);
        Assert.True(fake.IndexOf("DemotePrimary", P100) > fake.IndexOf("StopReplicationAndGetStatus", P100));
        Assert.Equal(R101, result.NewPrimary);
        Assert.True(events.Has(ReparentEventKind.Success, $"{P100} answered that it is not a replica"), events.ToString());
        // The demoted primary had no running replication to restore, and becomes a replica of the new primary.
        Assert.Contains("force=False", fake.CallsTo("SetReplicationSource").Single(c => c.Alias == P100).Args);
    }

    [Fact]
    public async Task Refuses_and_restarts_the_replication_it_stopped_when_the_most_advanced_replica_cannot_apply_its_relay_log()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-8"), UuidA);
        fake.StoppedAt(R102, Pos("1-10"), UuidA);
        fake.Fails(R102, "WaitForPosition", StatusCode.DeadlineExceeded, "timed out waiting for position");
        var events = new EventRecorder();

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions(), events, cancellationToken: TestShard.Deadline()));

        Assert.StartsWith(ErsRelayLogExclusion.MayBeMoreAdvancedMessage, e.Message);
        var reason = Assert.Single(e.Reasons);
        Assert.Equal(R102, reason.Alias);
        Assert.Contains("within the wait-replicas-timeout", reason.Reason);
        var restarts = fake.CallsTo("StartReplication");
        Assert.Equal([R101, R102], restarts.Select(c => c.Alias).Order().ToArray());
        Assert.All(restarts, c => Assert.True(c.Sequence > fake.IndexOf("WaitForPosition", R102)));
        Assert.Empty(fake.CallsTo("PromoteReplica"));
        Assert.Empty(fake.CallsTo("SetReplicationSource"));
        Assert.True(events.Has(ReparentEventKind.Failure, "EmergencyReparentShard ks/0 failed"), events.ToString());
    }

    [Fact]
    public async Task Excludes_a_replica_that_refuses_to_apply_its_relay_log_when_another_has_what_it_received_and_says_it_was_no_timeout()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-8"), UuidA);
        fake.StoppedAt(R102, Pos("1-10"), UuidA);
        fake.Fails(R101, "WaitForPosition", StatusCode.FailedPrecondition, "the SQL thread is stopped with error: duplicate key");
        var events = new EventRecorder();

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions(), events,
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R102, result.NewPrimary);
        Assert.True(events.Has(ReparentEventKind.CandidateRejected, $"excluded {R101}: could not apply its relay log"), events.ToString());
        Assert.True(events.Has(ReparentEventKind.CandidateRejected, "not a timeout"), events.ToString());
        Assert.DoesNotContain(fake.CallsTo("ReadReparentJournalInfo"), c => c.Alias == R101);
    }

    [Fact]
    public async Task Starts_the_sql_thread_of_a_candidate_whose_applier_is_stopped_instead_of_waiting()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        var stopped = new Status { Position = Pos("1-8"), RelayLogPosition = Pos("1-10"), IoState = 1, SqlState = 1, SourceUuid = UuidA };
        fake.Returns(R102, "StopReplicationAndGetStatus", new StopReplicationStatus { Before = stopped, After = stopped });

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions { WaitForAllTablets = false }, new EventRecorder(),
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal($"position={Pos("1-10")}", fake.CallsTo("StartReplicationUntilAfter").Single(c => c.Alias == R102).Args);
        Assert.DoesNotContain(fake.CallsTo("WaitForPosition"), c => c.Alias == R102);
        Assert.Contains(fake.CallsTo("WaitForPosition"), c => c.Alias == R101);
    }

    [Fact]
    public async Task Refuses_to_promote_when_a_tablet_that_acts_as_primary_cannot_be_demoted()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.NotAReplica(P100);
        fake.Fails(P100, "DemotePrimary", StatusCode.DeadlineExceeded, "read_only could not be set");
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-9"), UuidA);

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions(), new EventRecorder(), cancellationToken: TestShard.Deadline()));

        Assert.StartsWith(EmergencyReparentShard.PrimaryNotDemotedMessage, e.Message);
        Assert.Equal(P100, Assert.Single(e.Reasons).Alias);
        Assert.Contains("read_only could not be set", e.Message);
        Assert.Empty(fake.CallsTo("PromoteReplica"));
        Assert.Empty(fake.CallsTo("SetReplicationSource"));
    }

    [Fact]
    public async Task The_shard_primary_answering_with_an_error_is_force_demoted_and_a_failed_demotion_blocks_the_promotion()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.Fails(P100, "StopReplicationAndGetStatus", StatusCode.Unknown, "Lock wait timeout exceeded");
        fake.Fails(P100, "DemotePrimary", StatusCode.Unknown, "SET GLOBAL read_only = ON failed");
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-9"), UuidA);

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions { WaitForAllTablets = true }, new EventRecorder(), cancellationToken: TestShard.Deadline()));

        Assert.StartsWith(EmergencyReparentShard.PrimaryNotDemotedMessage, e.Message);
        Assert.Equal(P100, Assert.Single(e.Reasons).Alias);
        Assert.Contains("SET GLOBAL read_only = ON failed", e.Message);
        Assert.Equal("force=True", fake.CallsTo("DemotePrimary").Single().Args);
        Assert.Empty(fake.CallsTo("PromoteReplica"));
    }

    [Fact]
    public async Task A_forced_demotion_under_way_is_waited_for_even_when_enough_replicas_already_stopped()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        var events = new EventRecorder();
        fake.NotAReplica(P100);
        fake.On(P100, "DemotePrimary", async (call, _) =>
        {
            // It fails only once both replicas are recorded as stopped, i.e. once the round has enough answers.
            await Poll.UntilAsync(() => Task.FromResult(events.Has(ReparentEventKind.Success, $"stopped replication on {R101}")
                && events.Has(ReparentEventKind.Success, $"stopped replication on {R102}")), TimeSpan.FromSeconds(30), "both replicas stopped");
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, $"tablet {call.Alias} (fake): mysqld went away during the demotion"));
        });
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-9"), UuidA);

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions(), events, cancellationToken: TestShard.Deadline()));

        Assert.StartsWith(EmergencyReparentShard.PrimaryNotDemotedMessage, e.Message);
        Assert.Contains("mysqld went away during the demotion", e.Message);
        Assert.False(events.Has(ReparentEventKind.Warning, $"did not wait for {P100}"), events.ToString());
        Assert.Empty(fake.CallsTo("PromoteReplica"));
    }

    [Fact]
    public async Task A_promotion_failure_after_every_replica_answered_is_a_reparent_error_naming_the_tablet_and_the_step()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        var events = new EventRecorder();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-8"), UuidA);
        fake.On(R101, "PromoteReplica", async (call, _) =>
        {
            // Issue 12, finding 5: every replica (the unreachable old primary fails at once) has answered first.
            await Poll.UntilAsync(() => Task.FromResult(events.Has(ReparentEventKind.Success, $"repointed {R102} to {R101}")
                && events.Has(ReparentEventKind.Warning, $"could not repoint {P100}")), TimeSpan.FromSeconds(30), "both repoints answered");
            throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, $"tablet {call.Alias} (fake) PromoteReplica: FLUSH BINARY LOGS failed"));
        });

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions(), events, cancellationToken: TestShard.Deadline()));

        Assert.Contains($"primary-elect {R101} could not be promoted (PromoteReplica failed)", e.Message);
        Assert.Contains("FLUSH BINARY LOGS failed", e.Message);
    }

    [Fact]
    public async Task Under_semi_sync_aborts_before_promoting_when_no_repointed_replica_will_acknowledge()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.SemiSync);
        var fake = new FakeTabletManager();
        fake.NotAReplica(P100);
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-9") });
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-9"), UuidA);
        fake.Fails(R102, "SetReplicationSource", StatusCode.Unavailable, "connection refused");

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions { WaitForAllTablets = true }, new EventRecorder(), cancellationToken: TestShard.Deadline()));

        // The demoted old primary was not replicating, so it is repointed without starting replication: no acker.
        Assert.StartsWith(EmergencyReparentShard.NotEnoughAckersMessage, e.Message);
        Assert.Contains($"{R101} needs 1", e.Message);
        Assert.Contains(R102, e.Message);
        Assert.Empty(fake.CallsTo("PromoteReplica"));
    }

    [Fact]
    public async Task Under_semi_sync_promotes_only_after_a_replica_that_will_acknowledge_was_repointed()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.SemiSync);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-9"), UuidA);

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions(), new EventRecorder(),
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R101, result.NewPrimary);
        var repoint = fake.CallsTo("SetReplicationSource").Single(c => c.Alias == R102);
        Assert.Contains("semiSync=True", repoint.Args);
        Assert.True(fake.IndexOf("PromoteReplica", R101) > repoint.Sequence);
    }

    [Fact]
    public async Task Fails_under_semi_sync_when_the_unreached_primary_could_still_get_acks()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.SemiSync);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.Unreachable(R101);
        fake.StoppedAt(R102, Pos("1-8"), UuidA);

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions(), cancellationToken: TestShard.Deadline()));

        Assert.StartsWith("could not reach sufficient tablets to guarantee safety", e.Message);
        Assert.Contains(e.Reasons, r => r.Alias == P100);
        Assert.Equal([R102], fake.CallsTo("StartReplication").Select(c => c.Alias).ToArray());
        Assert.Equal("semiSync=True", fake.CallsTo("StartReplication").Single().Args);
        Assert.Empty(fake.CallsTo("PromoteReplica"));
    }

    [Fact]
    public async Task Waits_for_all_but_one_tablet_and_does_not_wait_for_a_hanging_primary()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager { DefaultTimeout = TimeSpan.FromMinutes(10) };
        fake.Unreachable(P100);
        fake.Hangs(P100, "StopReplicationAndGetStatus");
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-10"), UuidA);
        var events = new EventRecorder();

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions(), events,
            cancellationToken: TestShard.Deadline());

        Assert.Equal(R101, result.NewPrimary);
        Assert.True(events.Has(ReparentEventKind.Warning, $"did not wait for {P100}"), events.ToString());
    }

    [Fact]
    public async Task Repoints_candidates_to_a_more_advanced_must_not_tablet_then_promotes_after_catch_up()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None, type101: TabletType.Rdonly);
        var fake = new FakeTabletManager();
        fake.Unreachable(P100);
        fake.StoppedAt(R101, Pos("1-10"), UuidA);
        fake.StoppedAt(R102, Pos("1-8"), UuidA);
        fake.Returns(R101, "PrimaryPosition", Pos("1-10"));
        var events = new EventRecorder();

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions(), events,
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R102, result.NewPrimary);
        var toSource = fake.CallsTo("SetReplicationSource").First(c => c.Alias == R102);
        Assert.StartsWith($"parent={R101} ", toSource.Args);
        Assert.True(fake.IndexOf("PrimaryPosition", R101) > toSource.Sequence);
        var catchUp = fake.CallsTo("WaitForPosition").Last(c => c.Alias == R102);
        Assert.Equal($"position={Pos("1-10")}", catchUp.Args);
        Assert.True(fake.IndexOf("PromoteReplica", R102) > catchUp.Sequence);
        Assert.Contains(fake.CallsTo("SetReplicationSource"), c => c.Alias == R101 && c.Args.StartsWith($"parent={R102} ", StringComparison.Ordinal));
        Assert.True(events.Has(ReparentEventKind.CandidateRejected, $"rejected {R101}: promotion rule must_not"), events.ToString());
    }

    [Fact]
    public async Task Initialises_the_new_primary_when_the_shard_record_names_none()
    {
        await using var shard = await TestShard.CreateAsync(DurabilityPolicyNames.SemiSync);
        await shard.AddTabletAsync("zone1", 101);
        await shard.AddTabletAsync("zone1", 102);
        var fake = new FakeTabletManager();
        fake.StoppedAt(R101, Pos("1-3"), UuidA);
        fake.StoppedAt(R102, Pos("1-3"), UuidA);

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new EmergencyReparentOptions { NewPrimary = "zone1-102", WaitForAllTablets = true },
            cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R102, result.NewPrimary);
        Assert.Equal("semiSync=True", fake.CallsTo("InitPrimary").Single(c => c.Alias == R102).Args);
        Assert.Empty(fake.CallsTo("PromoteReplica"));
        Assert.Contains("semiSync=True", fake.CallsTo("SetReplicationSource").Single(c => c.Alias == R101).Args);
    }

    [Fact]
    public async Task Ignored_replicas_are_neither_stopped_nor_repointed()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.None);
        var fake = new FakeTabletManager();
        fake.NotAReplica(P100);
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-9") });
        fake.StoppedAt(R101, Pos("1-10"), UuidA);

        var result = await Ers(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new EmergencyReparentOptions { IgnoreReplicas = ["zone1-102"], WaitForAllTablets = true }, cancellationToken: TestShard.Deadline());
        await result.ReplicasSettled;

        Assert.Equal(R101, result.NewPrimary);
        Assert.DoesNotContain(fake.Calls, c => c.Alias == R102);
    }
}
