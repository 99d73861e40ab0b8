using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;
using C = Vtorc.Orchestrator.Analysis.AnalysisCodes;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>The per-row rules of go/vt/vtorc/inst/analysis_dao.go, the last-check validity rules and the InvalidPrimary
/// → DeadPrimary post-processing.</summary>
public sealed class ShardRuleTests
{
    private static ShardScenario BrokenShard(out string primary)
    {
        var s = new ShardScenario();
        primary = s.Primary();
        s.Observe(primary, o => o with { ReadOnly = true });
        return s;
    }

    [Fact]
    public void A_keyspace_without_durability_policy_is_skipped_with_the_operator_hint()
    {
        var s = BrokenShard(out _).WithDurability("");
        var result = s.Analyze();
        Assert.True(result.IsSkipped);
        Assert.Equal(ShardSkipReason.NoDurabilityPolicy, result.SkipReason);
        Assert.Empty(result.Analyses);
        Assert.Equal(
            "ignoring keyspace ks because no durability_policy is set. Please set it using SetKeyspaceDurabilityPolicy",
            result.SkipMessage);
    }

    [Fact]
    public void A_keyspace_with_an_unknown_policy_is_skipped_and_the_message_names_the_policy()
    {
        var s = BrokenShard(out _).WithDurability("majority_of_three");
        var result = s.Analyze();
        Assert.Equal(ShardSkipReason.UnknownDurabilityPolicy, result.SkipReason);
        Assert.Empty(result.Analyses);
        Assert.Contains("\"majority_of_three\"", result.SkipMessage);
    }

    [Fact]
    public void A_custom_registered_policy_is_used()
    {
        var registry = DurabilityPolicyRegistry.CreateDefault();
        var s = BrokenShard(out var p).WithDurability(DurabilityPolicyNames.None);
        var snapshot = s.Build(registry);
        Assert.NotNull(snapshot.Durability);
        Assert.Equal(C.PrimaryIsReadOnly, DetectionAnalyzer.Analyze(snapshot, AnalysisSettings.Default, ShardScenario.Now)
            .Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis);
    }

    [Fact]
    public void A_snapshot_keyspace_is_skipped()
    {
        var s = BrokenShard(out _).WithKeyspaceType(KeyspaceType.Snapshot);
        var result = s.Analyze();
        Assert.Equal(ShardSkipReason.SnapshotKeyspace, result.SkipReason);
        Assert.Empty(result.Analyses);
    }

    [Fact]
    public void A_shard_without_analysable_tablets_is_not_reported_as_skipped()
    {
        var s = new ShardScenario().WithDurability("");
        s.Replica(101, TabletType.Drained, source: null);
        var result = s.Analyze();
        Assert.False(result.IsSkipped);
        Assert.Empty(result.Analyses);
    }

    [Theory]
    [InlineData(TabletType.Backup)]
    [InlineData(TabletType.Drained)]
    [InlineData(TabletType.Restore)]
    [InlineData(TabletType.Spare)]
    [InlineData(TabletType.Experimental)]
    public void Non_replica_types_are_never_analysed(TabletType type)
    {
        var s = new ShardScenario();
        s.Primary();
        var tablet = s.Replica(101, type);
        s.StopReplication(tablet).Observe(tablet, o => o with { ReadOnly = false });
        Assert.Null(s.AnalysisOf(tablet));
    }

    [Theory]
    [InlineData(TabletType.Replica)]
    [InlineData(TabletType.Rdonly)]
    public void Replica_and_rdonly_tablets_are_analysed(TabletType type)
    {
        var s = new ShardScenario();
        s.Primary();
        var tablet = s.Replica(101, type);
        s.StopReplication(tablet);
        Assert.Equal(C.ReplicationStopped, s.AnalysisOf(tablet)!.Analysis);
    }

    [Fact]
    public void A_non_analysable_tablet_still_counts_as_a_replica_of_its_source()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var backup = s.Replica(101, TabletType.Backup);
        s.StopReplication(backup);
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.PrimarySingleReplicaNotReplicating, analysis.Analysis);
        Assert.Equal(1, analysis.CountReplicas);
    }

    [Fact]
    public void A_hanging_poll_invalidates_the_check_after_the_poll_time()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.StopReplication(r1);
        // The last poll succeeded, but a new one has been hanging for 6 s (> 5 s poll time).
        s.Observe(p, o => o.WithAttemptedCheck(o.LastSeen.AddSeconds(6)));
        var analysis = s.AnalysisOf(p)!;
        Assert.False(analysis.LastCheckValid);
        Assert.Equal(C.DeadPrimary, analysis.Analysis);
    }

    [Fact]
    public void A_poll_hanging_less_than_the_poll_time_keeps_the_check_valid()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.StopReplication(r1);
        s.Observe(p, o => o.WithAttemptedCheck(o.LastSeen.AddSeconds(5)));
        var analysis = s.AnalysisOf(p)!;
        Assert.True(analysis.LastCheckValid);
        Assert.Equal(C.PrimarySingleReplicaNotReplicating, analysis.Analysis);
    }

    [Fact]
    public void The_poll_time_counts_in_whole_seconds()
    {
        var s = new ShardScenario { Settings = new AnalysisSettings { InstancePollTime = TimeSpan.FromMilliseconds(5900) } };
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.StopReplication(r1);
        // 5.5 s after the last success: within 5.9 s, but VTOrc compares against the truncated 5 s.
        s.Observe(p, o => o.WithAttemptedCheck(o.LastSeen.AddSeconds(5.5)));
        Assert.False(s.AnalysisOf(p)!.LastCheckValid);
    }

    [Fact]
    public void Replica_validity_ignores_hanging_polls()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.Observe(r1, o => o.WithAttemptedCheck(o.LastSeen.AddSeconds(60)));
        s.Unreachable(p);
        // r1 counts as a valid, replicating replica of the primary although its own check is invalid.
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(1, analysis.CountValidReplicatingReplicas);
        Assert.Equal(C.UnreachablePrimary, analysis.Analysis);
    }

    [Fact]
    public void An_observation_polled_at_another_mysql_address_counts_as_invalid()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        s.Observe(p, o => o with { Hostname = "moved-away" });
        Assert.Equal(C.InvalidPrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void InvalidPrimary_becomes_DeadPrimary_when_no_replica_replicates_and_their_rows_are_dropped()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Rdonly(102);
        s.NeverPolled(p).StopReplication(r1).Unreachable(r2);
        // r2 must be reported to count: its stale observation still says "replicating" but the replica is unreachable
        // and writable, which gives it a problem row.
        s.Observe(r2, o => o with { ReadOnly = false });
        var result = s.Analyze();
        var only = Assert.Single(result.Analyses);
        Assert.Equal(p, only.AnalyzedInstanceAlias);
        Assert.Equal(C.DeadPrimary, only.Analysis);
        Assert.Equal(C.InvalidPrimary, only.AnalysisMatchedProblems[0].Analysis);
        Assert.True(only.IsActionableRecovery);
        Assert.True(only.HasShardWideAction);
    }

    [Fact]
    public void InvalidPrimary_stays_when_one_replica_still_replicates()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.NeverPolled(p).StopReplication(r1);
        var result = s.Analyze();
        Assert.Equal(C.InvalidPrimary, result.Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis);
        Assert.Contains(result.Analyses, a => a.AnalyzedInstanceAlias == r1);
        Assert.DoesNotContain(result.Analyses, a => a.AnalyzedInstanceAlias == r2);
    }

    [Fact]
    public void InvalidPrimary_stays_when_the_shard_has_no_other_tablet()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.NeverPolled(p);
        Assert.Equal(C.InvalidPrimary, s.AnalysisOf(p)!.Analysis);
    }

    [Fact]
    public void Only_the_newest_primary_is_the_cluster_primary()
    {
        var s = new ShardScenario();
        var older = s.Primary(100, ShardScenario.TermOne);
        var newer = s.Primary(200, ShardScenario.TermTwo);
        s.Observe(older, o => o with { ReadOnly = true }).Observe(newer, o => o with { ReadOnly = true });
        var result = s.Analyze();
        Assert.True(result.Analyses.Single(a => a.AnalyzedInstanceAlias == newer).IsClusterPrimary);
        Assert.False(result.Analyses.Single(a => a.AnalyzedInstanceAlias == older).IsClusterPrimary);
        Assert.Equal(C.PrimaryIsReadOnly, result.Analyses.Single(a => a.AnalyzedInstanceAlias == newer).Analysis);
    }

    [Fact]
    public void Reported_fields_carry_the_records_and_the_counts()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        s.Replica(102);
        s.StopReplication(r1);
        var replica = s.AnalysisOf(r1)!;
        Assert.Equal(ShardScenario.Keyspace, replica.AnalyzedKeyspace);
        Assert.Equal(ShardScenario.Shard, replica.AnalyzedShard);
        Assert.Equal(p, replica.AnalyzedInstancePrimaryAlias);
        Assert.Equal(TabletType.Replica, replica.TabletType);
        Assert.Equal(ShardScenario.TermTwo, replica.ShardPrimaryTermTimestamp);
        Assert.True(replica.ReplicationStopped);
        Assert.False(replica.IsPrimary);
        Assert.Equal(60, replica.ReplicaNetTimeout);
        Assert.Equal("ON", replica.GTIDMode);
    }

    [Fact]
    public void Structure_warnings_alone_report_the_row_with_NoProblem()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        var r2 = s.Replica(102);
        s.Observe(r1, o => o with { UsingAutoPosition = false, BinlogFormat = "STATEMENT", MajorVersion = "5.7" });
        s.Observe(r2, o => o with { GtidMode = "OFF" });
        var analysis = s.AnalysisOf(p)!;
        Assert.Equal(C.NoProblem, analysis.Analysis);
        Assert.Empty(analysis.AnalysisMatchedProblems);
        Assert.False(analysis.IsActionableRecovery);
        Assert.Equal(
            [
                StructureWarningCodes.NoFailoverSupport,
                StructureWarningCodes.StatementAndRowLoggingReplicas,
                StructureWarningCodes.MultipleMajorVersionsLoggingReplicas,
                StructureWarningCodes.DifferentGtidModes,
            ],
            analysis.StructureAnalysis);
    }

    [Fact]
    public void Snapshot_rejects_a_tablet_of_another_shard_and_names_it()
    {
        var s = new ShardScenario();
        s.Primary();
        var foreign = new TabletRecord(new Tablet
        {
            Alias = new TabletAlias { Cell = "zone1", Uid = 999 }, Keyspace = "ks", Shard = "-80", Type = TabletType.Replica,
        });
        var error = Assert.Throws<ArgumentException>(() => ShardSnapshot.Create(
            new KeyspaceRecord("ks", KeyspaceType.Normal, "none", false),
            new ShardRecord("ks", "0", "", default, false),
            [foreign], new Dictionary<string, InstanceObservation>(), DurabilityPolicyRegistry.CreateDefault()));
        Assert.Contains("zone1-0000000999", error.Message);
        Assert.Contains("ks/-80", error.Message);
    }

    [Fact]
    public void Analysis_reads_no_clock_the_same_snapshot_gives_the_same_answer_at_any_time()
    {
        var s = BrokenShard(out _);
        var snapshot = s.Build();
        var early = DetectionAnalyzer.Analyze(snapshot, AnalysisSettings.Default, ShardScenario.Now);
        var late = DetectionAnalyzer.Analyze(snapshot, AnalysisSettings.Default, ShardScenario.Now.AddDays(1));
        Assert.Equal(early.Analyses.Select(a => a.Analysis), late.Analyses.Select(a => a.Analysis));
    }
}
