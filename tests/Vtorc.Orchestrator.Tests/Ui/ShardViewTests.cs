using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http.Ui;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Ui;

public sealed class ShardViewTests
{
    private static readonly DateTimeOffset Now = ShardScenario.Now;

    private static ShardViewJson View(ShardScenario scenario, bool globalDisabled = false, IReadOnlyList<RecoveryRecord>? recoveries = null,
        CompletedRecoveryRecord? lastShardWide = null, IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome>? outcomes = null,
        IReadOnlyList<OperatorReparentRecord>? operatorReparents = null)
    {
        var snapshot = scenario.Build();
        return ShardView.Build(snapshot, DetectionAnalyzer.Analyze(snapshot, AnalysisSettings.Default, Now), AnalysisSettings.Default,
            outcomes ?? new Dictionary<(string, string), LastRecoveryOutcome>(), recoveries ?? [], operatorReparents ?? [], lastShardWide, TimeSpan.FromSeconds(30),
            (_, _) => Now, new FleetContext(Now, true, globalDisabled, null, new Dictionary<string, string> { ["zone1-0000000102"] = "UNAVAILABLE: refused" }));
    }

    [Fact]
    public void Tablets_come_as_a_replication_tree_with_what_each_tablet_reports()
    {
        var scenario = new ShardScenario().WithDurability("semi_sync");
        var primary = scenario.Primary(100);
        var replica = scenario.Replica(101);
        var chained = scenario.Rdonly(102);
        scenario.Observe(chained, o => o with { SourceHost = ShardScenario.HostOf(101), ReplicationLagSeconds = 7 });
        scenario.Observe(replica, o => o with { GtidErrant = "00000000-0000-0000-0000-000000000101:5", SemiSyncReplicaEnabled = true, SemiSyncReplicaStatus = true });
        scenario.Observe(primary, o => o with { ExecutedGtidSet = "00000000-0000-0000-0000-000000000100:1-20", SemiSyncPrimaryEnabled = true,
            SemiSyncPrimaryStatus = true, SemiSyncPrimaryClients = 1, SemiSyncPrimaryWaitForReplicaCount = 1 });
        scenario.Unreachable(chained);

        var view = View(scenario);

        Assert.Equal([(primary, 0, "PRIMARY", ""), (replica, 1, "REPLICA", primary), (chained, 2, "RDONLY", replica)],
            view.Tablets.Select(t => (t.Alias, t.Depth, t.Type, t.SourceAlias)));
        var p = view.Tablets[0];
        Assert.Equal((true, true, false, "00000000-0000-0000-0000-000000000100:1-20"), (p.IsShardPrimary, p.Reachable, p.ReadOnly, p.GtidPosition));
        Assert.Equal((true, true, 1u), (p.SemiSync!.PrimaryEnabled, p.SemiSync.PrimaryActive, p.SemiSync.PrimaryClients));
        var r = view.Tablets[1];
        Assert.Equal(("00000000-0000-0000-0000-000000000101:5", true, "running"), (r.ErrantGtids, r.SemiSync!.ReplicaActive, r.IoThread));
        var c = view.Tablets[2];
        Assert.Equal((false, 7L, "UNAVAILABLE: refused"), (c.Reachable, c.LagSeconds, c.PollError));
        Assert.Equal(primary, view.PrimaryAlias);
    }

    [Fact]
    public void Why_not_names_the_global_switch_when_recoveries_are_off()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        scenario.StopReplication(scenario.Replica(101));

        var view = View(scenario, globalDisabled: true);

        Assert.Equal("recoveries are disabled globally: problems are detected and shown, not repaired", view.WhyNot);
        Assert.Equal("problem", view.State);
    }

    [Fact]
    public void Why_not_quotes_the_pipeline_for_a_held_problem_and_is_empty_when_healthy()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var replica = scenario.Replica(101);
        var healthy = View(scenario);
        scenario.StopReplication(replica);
        var locked = new RecoveryExecution(RecoveryOutcome.ShardLocked, "FixReplica", "the shard lock is held by vtctld on host-7");

        var view = View(scenario, outcomes: new Dictionary<(string, string), LastRecoveryOutcome>
        {
            [(replica, AnalysisCodes.ReplicationStopped)] = new(locked, Now),
        });

        Assert.Equal("", healthy.WhyNot);
        Assert.Equal($"ReplicationStopped on {replica}: locked: the shard lock is held by vtctld on host-7", view.WhyNot);
    }

    [Fact]
    public void A_shard_without_durability_policy_says_it_is_never_repaired()
    {
        var scenario = new ShardScenario().WithDurability("");
        scenario.Primary(100);

        var view = View(scenario);

        Assert.Equal("unanalysed", view.State);
        Assert.StartsWith("not analysed, so never repaired: ignoring keyspace ks because no durability_policy is set", view.WhyNot);
    }

    [Fact]
    public void The_anti_flapping_block_holds_until_the_block_ends_unless_acknowledged()
    {
        var last = new CompletedRecoveryRecord(12, "zone1-0000000100", AnalysisCodes.DeadPrimary, Now.AddSeconds(-10), null);
        var acknowledged = last with { Acknowledgement = new RecoveryAcknowledgement(12, "ops", "seen", Now) };

        Assert.Equal(Now.AddSeconds(20), ShardView.AntiFlapping(last, TimeSpan.FromSeconds(30), Now).HeldUntil);
        Assert.Null(ShardView.AntiFlapping(acknowledged, TimeSpan.FromSeconds(30), Now).HeldUntil);
        Assert.Null(ShardView.AntiFlapping(last, TimeSpan.FromSeconds(5), Now).HeldUntil);
        Assert.Null(ShardView.AntiFlapping(last, TimeSpan.Zero, Now).HeldUntil);
        var none = ShardView.AntiFlapping(null, TimeSpan.FromSeconds(30), Now);
        Assert.Equal((0L, null), (none.LastRecoveryId, none.HeldUntil));
    }

    [Fact]
    public void The_timeline_keeps_every_step_with_its_time()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        scenario.Replica(101);
        var recovery = new RecoveryRecord
        {
            RecoveryId = 3, Alias = "zone1-0000000100", Analysis = AnalysisCodes.DeadPrimary, Keyspace = "ks", Shard = "0", DetectionId = 1,
            StartRecovery = Now.AddSeconds(-5), EndRecovery = Now.AddSeconds(-4), IsSuccessful = true, SuccessorAlias = "zone1-0000000101",
            Steps = [new RecoveryStepRecord(1, 3, Now.AddSeconds(-5), "locked the shard"), new RecoveryStepRecord(2, 3, Now.AddSeconds(-4), "promoted zone1-0000000101")],
        };

        var view = View(scenario, recoveries: [recovery]);

        var json = Assert.Single(view.Recoveries);
        Assert.Equal(["locked the shard", "promoted zone1-0000000101"], json.Steps.Select(s => s.Message));
        Assert.Equal(Now.AddSeconds(-4), json.Steps[1].AuditAt);
        Assert.Equal("zone1-0000000101", json.SuccessorAlias);
    }

    [Fact]
    public void The_timeline_shows_the_operators_reparents_beside_the_recoveries_newest_first()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        scenario.Replica(101);
        scenario.Replica(102);
        var recovery = new RecoveryRecord
        {
            RecoveryId = 7, Alias = "zone1-0000000100", Analysis = AnalysisCodes.DeadPrimary, Keyspace = "ks", Shard = "0", DetectionId = 1,
            StartRecovery = Now.AddMinutes(-10), EndRecovery = Now.AddMinutes(-9), IsSuccessful = true, SuccessorAlias = "zone1-0000000101",
        };
        var planned = new OperatorReparentRecord
        {
            ReparentId = 2, Kind = OperatorReparentHistory.Planned, Keyspace = "ks", Shard = "0", RequestedBy = "alice",
            RequestedPrimary = "zone1-0000000102", StartReparent = Now.AddMinutes(-5), EndReparent = Now.AddMinutes(-5).AddSeconds(3),
            IsSuccessful = true, NewPrimary = "zone1-0000000102", PreviousPrimary = "zone1-0000000101",
            Steps = [new OperatorReparentStepRecord(1, 2, Now.AddMinutes(-5).AddSeconds(1), "demoted zone1-0000000101")],
        };
        var emergency = new OperatorReparentRecord
        {
            ReparentId = 3, Kind = OperatorReparentHistory.Emergency, Keyspace = "ks", Shard = "0", RequestedBy = "bob",
            StartReparent = Now.AddSeconds(-20),
        };
        var failed = planned with
        {
            ReparentId = 1, StartReparent = Now.AddMinutes(-20), EndReparent = Now.AddMinutes(-20), IsSuccessful = false, NewPrimary = "",
            PreviousPrimary = "", Error = "not started: the shard lock is held by vtctld", Steps = [],
        };
        var lastShardWide = new CompletedRecoveryRecord(7, "zone1-0000000100", AnalysisCodes.DeadPrimary, Now.AddMinutes(-9), null);

        var view = View(scenario, recoveries: [recovery], lastShardWide: lastShardWide, operatorReparents: [emergency, planned, failed]);

        Assert.Equal([("reparent", 3L), ("reparent", 2L), ("recovery", 7L), ("reparent", 1L)],
            view.Timeline.Select(e => e.Recovery is { } r ? ("recovery", r.RecoveryId) : ("reparent", e.OperatorReparent!.ReparentId)));
        Assert.All(view.Timeline, e => Assert.True(e.Recovery is null != e.OperatorReparent is null));
        var running = view.Timeline[0].OperatorReparent!;
        Assert.Equal(("emergency", "bob", "", true, ""), (running.Kind, running.RequestedBy, running.RequestedPrimary, running.IsActive, running.NewPrimary));
        var done = view.Timeline[1].OperatorReparent!;
        Assert.Equal(("planned", "zone1-0000000102", false, true, "zone1-0000000102", "zone1-0000000101"),
            (done.Kind, done.RequestedPrimary, done.IsActive, done.IsSuccessful, done.NewPrimary, done.PreviousPrimary));
        Assert.Equal([(Now.AddMinutes(-5).AddSeconds(1), "demoted zone1-0000000101")], done.Steps.Select(step => (step.At, step.Message)));
        Assert.Equal("not started: the shard lock is held by vtctld", view.Timeline[3].OperatorReparent!.Error);
        // The recoveries alone, and the anti-flapping block, know nothing of the operators' reparents.
        Assert.Equal([7L], view.Recoveries.Select(r => r.RecoveryId));
        Assert.Equal(7, view.AntiFlapping.LastRecoveryId);
    }

    [Fact]
    public void The_timeline_keeps_the_newest_entries_of_both_kinds()
    {
        var recoveries = Enumerable.Range(1, ShardView.TimelineLength).Select(i => new RecoveryRecord
        {
            RecoveryId = i, Alias = "zone1-0000000100", Analysis = AnalysisCodes.DeadPrimary, Keyspace = "ks", Shard = "0", DetectionId = i,
            StartRecovery = Now.AddMinutes(-2 * i), EndRecovery = Now.AddMinutes(-2 * i),
        }).ToList();
        var reparents = Enumerable.Range(1, ShardView.TimelineLength).Select(i => new OperatorReparentRecord
        {
            ReparentId = i, Kind = OperatorReparentHistory.Planned, Keyspace = "ks", Shard = "0", RequestedBy = "ui",
            StartReparent = Now.AddMinutes(-2 * i + 1), EndReparent = Now.AddMinutes(-2 * i + 1),
        }).ToList();

        var timeline = ShardView.Timeline(recoveries, reparents);

        Assert.Equal(ShardView.TimelineLength, timeline.Count);
        Assert.Equal(timeline.Select(e => e.Start).OrderByDescending(t => t), timeline.Select(e => e.Start));
        Assert.Equal(Now.AddMinutes(-1), timeline[0].Start);
        Assert.Equal(ShardView.TimelineLength / 2, timeline.Count(e => e.Recovery is not null));
    }
}
