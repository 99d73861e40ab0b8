using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Recovery.Actions;
using Vtorc.Orchestrator.Tests.Analysis;
using Vtorc.Reparent.Durability;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>The recovery functions of go/vt/vtorc/logic/topology_recovery.go through the whole pipeline: which RPCs, in
/// which order, with which arguments.</summary>
public sealed class RecoveryFunctionTests
{
    private const string UuidA = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    private static readonly string P = ShardScenario.AliasOf(100);
    private static readonly string R1 = ShardScenario.AliasOf(101);
    private static readonly string R2 = ShardScenario.AliasOf(102);

    private static ShardScenario Shard(bool semiSyncReplicas = false)
    {
        var s = new ShardScenario();
        s.Primary();
        s.Replica(101);
        s.Replica(102);
        if (semiSyncReplicas)
        {
            s.Observe(R1, o => o with { SemiSyncReplicaEnabled = true }).Observe(R2, o => o with { SemiSyncReplicaEnabled = true });
        }
        return s;
    }

    [Fact]
    public async Task FixReplica_sets_read_only_then_points_the_replica_at_the_shard_primary()
    {
        await using var h = await PipelineHarness.CreateAsync(Shard(semiSyncReplicas: true).StopReplication(R1), DurabilityPolicyNames.SemiSync);
        Assert.Equal(C.ReplicationStopped, h.State.AnalysisOf(R1).Analysis);

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(["SetReadOnly", "SetReplicationSource", "ReplicationStatus"], h.Tablets.Calls.Select(c => c.Rpc));
        Assert.All(h.Tablets.Calls, c => Assert.Equal(R1, c.Alias));
        // replica_net_timeout 60 s ⇒ heartbeat 30 s; semi_sync makes a REPLICA an acker.
        Assert.Equal($"parent={P} timeCreatedNs=0 wait= force=True semiSync=True heartbeat=30", h.Tablets.Calls[1].Args);
        var recovery = Assert.Single(h.History.Recoveries);
        Assert.Equal("FixReplica", recovery.Registration.RecoveryName);
        Assert.False(recovery.Registration.IsShardWide);
        Assert.Equal(result.RecoveryId, recovery.Id);
        Assert.True(recovery.Resolution!.IsSuccessful, string.Join(" | ", recovery.Resolution.Errors));
        Assert.Null(recovery.Resolution.SuccessorAlias);
        Assert.Contains(recovery.Steps, s => s.Contains($"replicating from {P}", StringComparison.Ordinal));
        Assert.Equal(1, h.Metrics.Count("RecoveriesCount FixReplica ks 0"));
        Assert.Equal(1, h.Metrics.Count("SuccessfulRecoveries FixReplica ks 0"));
        Assert.Equal(0, h.Metrics.Count("FailedRecoveries FixReplica ks 0"));
        Assert.Equal(R1, h.State.Polls[^1]);
    }

    [Fact]
    public async Task FixReplica_whose_started_replication_stops_with_an_error_is_a_failed_repair()
    {
        // Issue 12 finding 1: START SLAVE succeeds, then the source refuses the replica (MariaDB 1236). Counting that
        // as a repair made the same ReplicationStopped "repaired" every tick.
        await using var h = await PipelineHarness.CreateAsync(Shard().StopReplication(R1));
        h.Tablets.Returns(R1, "ReplicationStatus", new Replicationdata.Status
        {
            IoState = 1, SqlState = 3, LastIoError = "Got fatal error 1236 from master when reading data from binary log",
        });

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Failed, result.Outcome);
        var recovery = Assert.Single(h.History.Recoveries);
        Assert.Contains("1236", Assert.Single(recovery.Resolution!.Errors));
        Assert.Equal(1, h.Metrics.Count("FailedRecoveries FixReplica ks 0"));
    }

    [Fact]
    public async Task FixReplica_failure_is_counted_and_resolved_with_the_error()
    {
        await using var h = await PipelineHarness.CreateAsync(Shard().StopReplication(R1));
        h.Tablets.Fails(R1, "SetReplicationSource", Grpc.Core.StatusCode.Unavailable, "connection refused");

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Failed, result.Outcome);
        var recovery = Assert.Single(h.History.Recoveries);
        Assert.False(recovery.Resolution!.IsSuccessful);
        Assert.Contains("connection refused", Assert.Single(recovery.Resolution.Errors));
        Assert.Equal(1, h.Metrics.Count("RecoveriesCount FixReplica ks 0"));
        Assert.Equal(1, h.Metrics.Count("FailedRecoveries FixReplica ks 0"));
        Assert.Empty(await h.LockQueueAsync());
    }

    [Theory]
    [InlineData(DurabilityPolicyNames.None, "semiSync=False")]
    [InlineData(DurabilityPolicyNames.SemiSync, "semiSync=True")]
    [InlineData(DurabilityPolicyNames.CrossCell, "semiSync=True")]
    public async Task FixPrimary_undoes_the_demotion_with_semi_sync_as_the_policy_needs(string durability, string expected)
    {
        await using var h = await PipelineHarness.CreateAsync(Shard(semiSyncReplicas: durability != DurabilityPolicyNames.None)
            .Observe(P, o => o with { ReadOnly = true }), durability);
        Assert.Equal(C.PrimaryIsReadOnly, h.State.AnalysisOf(P).Analysis);

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        var call = Assert.Single(h.Tablets.Calls);
        Assert.Equal(("UndoDemotePrimary", P, expected), (call.Rpc, call.Alias, call.Args));
    }

    [Fact]
    public async Task FixPrimary_refuses_to_make_a_primary_writable_while_a_replica_holds_a_commit_it_lacks()
    {
        // The replica cannot be reached, so no reparent could elect it (PrimaryIsReadOnly, not PrimaryBehindReplica):
        // the primary stays read-only (docs/reliability.md, "A restarted primary behind its replica").
        var scenario = Shard(semiSyncReplicas: true)
            .Observe(P, o => o with { ReadOnly = true, ExecutedGtidSet = "MariaDB/0-100-100", GtidBinlogState = "0-100-100" })
            .Observe(R1, o => o with { ExecutedGtidSet = "MariaDB/0-100-101", GtidBinlogState = "0-100-101" })
            .Unreachable(R1);
        await using var h = await PipelineHarness.CreateAsync(scenario, DurabilityPolicyNames.SemiSync);
        Assert.Equal(C.PrimaryIsReadOnly, h.State.AnalysisOf(P).Analysis);

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Failed, result.Outcome);
        Assert.Empty(h.Tablets.CallsTo("UndoDemotePrimary"));
        var error = Assert.Single(Assert.Single(h.History.Recoveries).Resolution!.Errors);
        Assert.Contains($"not making {P} writable: replica {R1} holds 0-100-101, primary {P}'s binary log ends at 0-100-100", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errant_gtid_replica_is_drained_when_enabled()
    {
        await using var h = await PipelineHarness.CreateAsync(
            Shard().Observe(R1, o => o with { GtidErrant = "00000000-0000-0000-0000-000000000101:1", GtidErrantCount = 1 }),
            settings: RecoverySettings.Default with { ChangeTabletsWithErrantGtidToDrained = true });

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        var call = Assert.Single(h.Tablets.Calls);
        Assert.Equal(("ChangeType", R1, "type=Drained semiSync=False"), (call.Rpc, call.Alias, call.Args));
    }

    [Fact]
    public async Task PrimaryHasPrimary_resets_the_primarys_replication_parameters()
    {
        await using var h = await PipelineHarness.CreateAsync(Shard().Observe(P, o => o with
        {
            SourceHost = "outside-mysql",
            SourcePort = 3306,
            ReplicationIoThreadState = ReplicationThreadState.Running,
            ReplicationSqlThreadState = ReplicationThreadState.Running,
        }));
        Assert.Equal(C.PrimaryHasPrimary, h.State.AnalysisOf(P).Analysis);

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(("ResetReplicationParameters", P), (h.Tablets.Calls.Single().Rpc, h.Tablets.Calls.Single().Alias));
    }

    [Fact]
    public async Task A_dead_primary_is_replaced_by_ERS_under_the_pipelines_lock()
    {
        string Pos(string range) => $"MySQL56/{UuidA}:{range}";
        await using var h = await PipelineHarness.CreateAsync(Shard().Unreachable(P).StopReplication(R1).StopReplication(R2),
            registerTablets: true);
        Assert.Equal(C.DeadPrimary, h.State.AnalysisOf(P).Analysis);
        h.Tablets.Unreachable(P);
        h.Tablets.StoppedAt(R1, Pos("1-10"), UuidA);
        h.Tablets.StoppedAt(R2, Pos("1-8"), UuidA);
        string? holder = null;
        h.Tablets.On(R1, "PromoteReplica", async (_, _) =>
        {
            var queue = await h.LockQueueAsync();
            holder = string.Join(" | ", queue.Select(e => e.Descriptor?.Action));
            return Pos("1-10");
        });

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(R1, result.PromotedAlias);
        Assert.Equal($"VTOrc Recovery for {C.DeadPrimary} on {P}", holder);
        Assert.DoesNotContain(h.Tablets.CallsTo("PromoteReplica"), c => c.Alias != R1);
        var recovery = Assert.Single(h.History.Recoveries);
        Assert.True(recovery.Registration.IsShardWide);
        Assert.Equal(R1, recovery.Resolution!.SuccessorAlias);
        Assert.True(recovery.Resolution.IsSuccessful);
        Assert.Contains($"promoted replica: {R1}", recovery.Steps);
        Assert.Contains($"RecoverDeadPrimary: successfully promoted {R1}", recovery.Steps);
        Assert.Contains(recovery.Steps, s => s.Contains("using the shard lock already held by the caller", StringComparison.Ordinal));
        // Under the lock every tablet was polled before ERS, the dead primary through a probe on a new connection.
        var calls = h.State.Calls.ToList();
        int firstRefresh = calls.IndexOf("RefreshTablets ks/0");
        int postRefresh = calls.IndexOf("RefreshShard ks/0", firstRefresh + 1);
        var underLock = calls[(firstRefresh + 1)..postRefresh];
        Assert.Equal([P, R1, R2], underLock.Where(c => c.StartsWith("Poll ", StringComparison.Ordinal)).Select(c => c[5..]).Order());
        Assert.Equal([$"Probe {P}"], underLock.Where(c => c.StartsWith("Probe ", StringComparison.Ordinal)));
        Assert.Equal(1, h.Metrics.Count("SuccessfulRecoveries RecoverDeadPrimary ks 0"));
        Assert.Empty(await h.LockQueueAsync());
    }

    [Fact]
    public async Task A_dead_primary_that_answers_the_probe_under_the_lock_is_not_failed_over()
    {
        // chaos, IsolatePrimary: DeadPrimary was detected while the primary was cut off; by the time the recovery held
        // the lock the cut had healed and the primary answered on a new connection (the old one was still stuck).
        await using var h = await PipelineHarness.CreateAsync(Shard().Unreachable(P).StopReplication(R1).StopReplication(R2),
            registerTablets: true);
        Assert.Equal(C.DeadPrimary, h.State.AnalysisOf(P).Analysis);
        h.State.OnPoll(P, o => o with
        {
            LastSeen = o.LastChecked.AddSeconds(1),
            LastChecked = o.LastChecked.AddSeconds(1),
            LastAttemptedCheck = o.LastChecked.AddSeconds(1),
            ReadOnly = false,
        });

        var result = await h.ExecuteAsync(P);

        Assert.Equal(RecoveryOutcome.Skipped, result.Outcome);
        Assert.Equal(RecoverySkipReason.StaleAnalysis, result.SkipReason);
        Assert.Contains($"Probe {P}", h.State.Calls);
        Assert.Empty(h.Tablets.CallsTo("PromoteReplica"));
        Assert.Empty(await h.LockQueueAsync());
    }

    [Fact]
    public async Task A_stale_topo_primary_is_demoted_changed_to_replica_and_repointed()
    {
        var s = new ShardScenario();
        string stale = s.Primary(103, ShardScenario.TermOne);
        s.Primary(100, ShardScenario.TermTwo);
        s.Replica(101);
        await using var h = await PipelineHarness.CreateAsync(s);
        Assert.Equal(C.StaleTopoPrimary, h.State.AnalysisOf(stale).Analysis);

        var result = await h.ExecuteAsync(stale);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(
            [$"DemotePrimary {stale} force=True", $"ChangeType {stale} type=Replica semiSync=False",
                $"SetReplicationSource {stale} parent={P} timeCreatedNs=0 wait= force=True semiSync=False heartbeat=0"],
            h.Tablets.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task An_unreachable_primary_gets_one_direct_replica_restarted_per_run_and_each_at_most_once_a_minute()
    {
        await using var h = await PipelineHarness.CreateAsync(Shard().Unreachable(P));
        Assert.Equal(C.UnreachablePrimary, h.State.AnalysisOf(P).Analysis);

        var first = await h.ExecuteAsync(P);
        var second = await h.ExecuteAsync(P);
        var third = await h.ExecuteAsync(P);

        Assert.Equal([RecoveryOutcome.Succeeded, RecoveryOutcome.Succeeded, RecoveryOutcome.Succeeded], [first.Outcome, second.Outcome, third.Outcome]);
        var calls = h.Tablets.Calls.Select(c => $"{c.Rpc} {c.Alias}").ToArray();
        Assert.Equal(4, calls.Length);
        Assert.Equal(calls[0].Replace("StopReplication", "StartReplication", StringComparison.Ordinal), calls[1]);
        Assert.Equal(calls[2].Replace("StopReplication", "StartReplication", StringComparison.Ordinal), calls[3]);
        Assert.Equal([R1, R2], new[] { h.Tablets.Calls[0].Alias, h.Tablets.Calls[2].Alias }.Order());
        Assert.Contains("Completed restart of 0/0 direct replicas", h.History.Recoveries[2].Steps.Single());

        h.Time.Advance(RestartDirectReplicasRecovery.RestartInterval);
        await h.ExecuteAsync(P);
        Assert.Equal(6, h.Tablets.Calls.Count);
    }

    [Fact]
    public async Task An_unreachable_primary_is_probed_briefly_under_the_lock_not_polled_for_the_whole_deadline()
    {
        // chaos-style silent host: a full poll under the lock waited out the 15 s deadline while the DeadPrimary recovery
        // that followed waited for the lock.
        await using var h = await PipelineHarness.CreateAsync(Shard().Unreachable(P));
        Assert.Equal(C.UnreachablePrimary, h.State.AnalysisOf(P).Analysis);

        await h.ExecuteAsync(P);

        // Under the lock (right after the topo refresh) the primary is probed, and polled only through the probe.
        var calls = h.State.Calls.ToList();
        int refreshed = calls.IndexOf("RefreshTablets ks/0");
        Assert.Equal([$"Probe {P}", $"Poll {P}"], calls[(refreshed + 1)..(refreshed + 3)]);
    }

    [Fact]
    public async Task A_shard_that_never_had_a_primary_gets_one_elected_by_PRS()
    {
        string Pos(string range) => $"MySQL56/{UuidA}:{range}";
        var s = new ShardScenario().WithShardTerm(default);
        s.Replica(101, source: null);
        s.Replica(102, source: null);
        await using var h = await PipelineHarness.CreateAsync(s, registerTablets: true);
        Assert.Equal(C.ClusterHasNoPrimary, h.State.AnalysisOf(R1).Analysis);
        h.Tablets.Returns(R1, "ReplicationStatus", new Replicationdata.Status { Position = Pos("1-10"), RelayLogPosition = Pos("1-10") });
        h.Tablets.Returns(R2, "ReplicationStatus", new Replicationdata.Status { Position = Pos("1-8"), RelayLogPosition = Pos("1-8") });
        h.Tablets.Returns(R1, "InitPrimary", Pos("1-10"));

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.Succeeded, result.Outcome);
        Assert.Equal(R1, result.PromotedAlias);
        Assert.Equal("semiSync=False", h.Tablets.CallsTo("InitPrimary").Single().Args);
        var steps = Assert.Single(h.History.Recoveries).Steps;
        Assert.Equal("starting PlannedReparentShard for electing new primary.", steps[0]);
        Assert.Contains($"{C.ClusterHasNoPrimary}: successfully promoted {R1}", steps);
    }

    [Fact]
    public async Task An_active_recovery_in_the_shard_means_not_attempted()
    {
        await using var h = await PipelineHarness.CreateAsync(Shard().StopReplication(R1).StopReplication(R2));
        var other = h.State.AnalysisOf(R2);
        Assert.NotNull(await h.History.TryRegisterRecoveryAsync(new RecoveryRegistration(other, 0, "FixReplica", false, ShardScenario.Now),
            PipelineHarness.Deadline()));

        var result = await h.ExecuteAsync(R1);

        Assert.Equal(RecoveryOutcome.NotAttempted, result.Outcome);
        Assert.Equal($"found an active or recent recovery on {R1}. Will not issue another FixReplica.", result.Message);
        Assert.Empty(h.Tablets.Calls);
        Assert.Equal(0, h.Metrics.Count("RecoveriesCount FixReplica ks 0"));
    }
}
