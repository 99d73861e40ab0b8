using Microsoft.Extensions.Primitives;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Http.Ui;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Ui;

public sealed class FleetOverviewTests
{
    private static readonly DateTimeOffset Now = ShardScenario.Now;

    /// <summary>ks/-80 healthy (uids 100..), ks/80- with one of its two replicas stopped (200..), other/0 healthy (300..).</summary>
    private static (List<ShardSnapshot> Snapshots, string StoppedReplica) Fleet()
    {
        var healthy = new ShardScenario("ks", "-80");
        healthy.Primary(100);
        healthy.Replica(101);
        var broken = new ShardScenario("ks", "80-");
        broken.Primary(200);
        var stopped = broken.Replica(201, source: 200);
        broken.Replica(202, source: 200);
        broken.StopReplication(stopped);
        var other = new ShardScenario("other", "0");
        other.Primary(300);
        other.Replica(301, source: 300);
        return ([healthy.Build(), broken.Build(), other.Build()], stopped);
    }

    private static OverviewJson Build(IReadOnlyList<ShardSnapshot> snapshots, FleetFilter filter,
        IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome>? outcomes = null, IReadOnlyList<RecoveryRecord>? recoveries = null,
        FleetAnalysis? previous = null) =>
        FleetOverview.Build(Analyse(snapshots, Now, previous), outcomes ?? new Dictionary<(string, string), LastRecoveryOutcome>(), recoveries ?? [],
            filter, new FleetContext(Now, true, false, null, new Dictionary<string, string>()));

    private static FleetAnalysis Analyse(IReadOnlyList<ShardSnapshot> snapshots, DateTimeOffset at, FleetAnalysis? previous = null) =>
        FleetAnalysis.Following(previous, snapshots, DetectionAnalyzer.AnalyzeAll(snapshots, AnalysisSettings.Default, at), at);

    private static FleetFilter Filter(params (string Name, string Value)[] parameters) =>
        FleetFilter.From(new QueryParameters(parameters.Select(p => new KeyValuePair<string, StringValues>(p.Name, p.Value))));

    [Fact]
    public void Problems_come_first_and_healthy_shards_are_collapsed()
    {
        var (fleet, stopped) = Fleet();

        var overview = Build(fleet, FleetFilter.All);

        var problem = Assert.Single(overview.Problems);
        Assert.Equal(("ks", "80-", stopped, AnalysisCodes.ReplicationStopped), (problem.Keyspace, problem.Shard, problem.Alias, problem.Analysis));
        var row = Assert.Single(overview.Shards);
        Assert.Equal(("ks", "80-", "problem"), (row.Keyspace, row.Shard, row.State));
        Assert.Equal((3, 7, 1, 2), (overview.TotalShards, overview.TotalTablets, overview.ShardsWithProblems, overview.HealthyCollapsed));
        Assert.Equal(["ks", "other"], overview.Keyspaces);
        Assert.Equal(["zone1"], overview.Cells);
    }

    [Fact]
    public void Shown_healthy_shards_follow_the_problems_in_name_order()
    {
        var (fleet, _) = Fleet();

        var overview = Build(fleet, Filter(("healthy", "show")));

        Assert.Equal(["ks/80-", "ks/-80", "other/0"], overview.Shards.Select(s => $"{s.Keyspace}/{s.Shard}"));
        Assert.Equal(0, overview.HealthyCollapsed);
        Assert.Equal("healthy", overview.Shards[1].State);
        Assert.Equal((2, 2), (overview.Shards[1].Tablets, overview.Shards[1].Reachable));
    }

    [Theory]
    [InlineData("keyspace", "other", "other/0")]
    [InlineData("state", "healthy", "ks/-80,other/0")]
    [InlineData("state", "problem", "ks/80-")]
    [InlineData("q", "zone1-0000000301", "other/0")]
    [InlineData("q", "MYSQL-101", "ks/-80")]
    [InlineData("q", "ks/-8", "ks/-80")]
    [InlineData("cell", "zone9", "")]
    public void Filters_select_the_shards_they_name(string parameter, string value, string expected)
    {
        var (fleet, _) = Fleet();

        var overview = Build(fleet, Filter((parameter, value), ("healthy", "show")));

        Assert.Equal(expected, string.Join(",", overview.Shards.Select(s => $"{s.Keyspace}/{s.Shard}")));
        Assert.Equal(overview.Shards.Count, overview.MatchingShards);
    }

    [Fact]
    public void A_search_lists_matching_healthy_shards_without_being_asked()
    {
        var (fleet, _) = Fleet();

        var overview = Build(fleet, Filter(("q", "mysql-300")));

        Assert.Equal("other/0", Assert.Single(overview.Shards).Keyspace + "/0");
    }

    [Fact]
    public void Pages_split_the_listed_shards()
    {
        var (fleet, _) = Fleet();

        var second = Build(fleet, Filter(("healthy", "show"), ("pageSize", "2"), ("page", "1")));
        var beyond = Build(fleet, Filter(("healthy", "show"), ("pageSize", "2"), ("page", "9")));

        Assert.Equal((1, 2, 3), (second.Page, second.Pages, second.MatchingShards));
        Assert.Equal("other/0", $"{Assert.Single(second.Shards).Keyspace}/{second.Shards[0].Shard}");
        Assert.Equal(1, beyond.Page);
    }

    [Theory]
    [InlineData("state", "broken", "state")]
    [InlineData("page", "-1", "page")]
    [InlineData("pageSize", "501", "pageSize")]
    [InlineData("healthy", "yes", "healthy")]
    public void A_bad_parameter_is_refused_naming_it(string parameter, string value, string named)
    {
        var error = Assert.Throws<QueryParameterException>(() => Filter((parameter, value)));

        Assert.Contains($"for {named}", error.Message);
    }

    [Fact]
    public void A_problem_says_what_is_done_about_it_and_since_when()
    {
        var (fleet, stopped) = Fleet();
        var held = new RecoveryExecution(RecoveryOutcome.Skipped, "FixReplica", "blocking FixReplica: acknowledge recovery 12")
        {
            SkipReason = RecoverySkipReason.RecoveryPeriodBlock,
            RecoveryId = 12,
        };
        var outcomes = new Dictionary<(string, string), LastRecoveryOutcome> { [(stopped, AnalysisCodes.ReplicationStopped)] = new(held, Now.AddSeconds(-3)) };
        var fiveMinutesAgo = Analyse(fleet, Now.AddMinutes(-5));

        var problem = Assert.Single(Build(fleet, FleetFilter.All, outcomes, previous: fiveMinutesAgo).Problems);

        Assert.Equal(("held", "blocking FixReplica: acknowledge recovery 12", Now.AddSeconds(-3), Now.AddMinutes(-5), 12L),
            (problem.Status, problem.StatusText, problem.StatusAt, problem.Since, problem.RecoveryId));
    }

    [Theory]
    [InlineData(RecoveryOutcome.ShardLocked, null, "locked")]
    [InlineData(RecoveryOutcome.Failed, null, "failed")]
    [InlineData(RecoveryOutcome.Skipped, RecoverySkipReason.GlobalRecoveriesDisabled, "disabled")]
    [InlineData(RecoveryOutcome.Skipped, RecoverySkipReason.EmergencyReparentShardDisabled, "disabled")]
    [InlineData(RecoveryOutcome.Skipped, RecoverySkipReason.NoRecoveryAction, "no-action")]
    public void Each_outcome_has_its_status(RecoveryOutcome outcome, RecoverySkipReason? reason, string status)
    {
        var execution = new RecoveryExecution(outcome, "X", "m") { SkipReason = reason };

        Assert.Equal(status, ProblemStatus.Of(new LastRecoveryOutcome(execution, Now), null).Status);
    }

    [Fact]
    public void A_running_recovery_of_the_shard_is_shown_as_repairing_and_a_problem_nobody_acted_on_as_pending()
    {
        var (fleet, _) = Fleet();
        var running = new RecoveryRecord
        {
            RecoveryId = 7, Alias = "zone1-0000000200", Analysis = AnalysisCodes.DeadPrimary, Keyspace = "ks", Shard = "80-", DetectionId = 1,
            StartRecovery = Now.AddSeconds(-2),
        };

        var repairing = Assert.Single(Build(fleet, FleetFilter.All, recoveries: [running]).Problems);
        var pending = Assert.Single(Build(fleet, FleetFilter.All).Problems);

        Assert.Equal(("repairing", 7L, Now.AddSeconds(-2)), (repairing.Status, repairing.RecoveryId, repairing.StatusAt));
        Assert.Equal("pending", pending.Status);
    }

    [Fact]
    public void At_fleet_size_one_page_is_built_and_the_problems_are_capped()
    {
        var fleet = new List<ShardSnapshot>();
        for (uint i = 0; i < 2_500; i++)
        {
            var shard = new ShardScenario($"ks{i % 10}", $"{i}");
            shard.Primary(100 + (i * 3));
            var replica = shard.Replica(101 + (i * 3), source: 100 + (i * 3));
            shard.Replica(102 + (i * 3), source: 100 + (i * 3));
            if (i % 10 == 0)
            {
                shard.StopReplication(replica);
            }
            fleet.Add(shard.Build());
        }

        var overview = Build(fleet, Filter(("healthy", "show"), ("pageSize", "50")));

        Assert.Equal((2_500, 7_500, 250, 50, 50), (overview.TotalShards, overview.TotalTablets, overview.ShardsWithProblems, overview.Pages,
            overview.Shards.Count));
        Assert.Equal((FleetOverview.MaxProblems, 50), (overview.Problems.Count, overview.ProblemsNotShown));
        Assert.All(overview.Shards, s => Assert.Equal("problem", s.State));
    }
}
