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
        CompletedRecoveryRecord? lastShardWide = null, IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome>? outcomes = null)
    {
        var snapshot = scenario.Build();
        return ShardView.Build(snapshot, DetectionAnalyzer.Analyze(snapshot, AnalysisSettings.Default, Now), AnalysisSettings.Default,
            outcomes ?? new Dictionary<(string, string), LastRecoveryOutcome>(), recoveries ?? [], lastShardWide, TimeSpan.FromSeconds(30),
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
}
