using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>Instance problems (go/vt/vtorc/inst/instance.go), as /api/problems lists them.</summary>
public sealed class InstanceProblemsTests
{
    private static readonly DateTimeOffset Now = ShardScenario.Now;
    private static readonly AnalysisSettings Settings = AnalysisSettings.Default;

    private static InstanceObservation Replica() => new()
    {
        Alias = "zone1-0000000101",
        Hostname = "db-101",
        Port = 3306,
        SourceHost = "db-100",
        SourcePort = 3306,
        ReplicationIoThreadState = ReplicationThreadState.Running,
        ReplicationSqlThreadState = ReplicationThreadState.Running,
        ReplicationLagSeconds = 0,
        LastChecked = Now,
        LastSeen = Now,
        LastAttemptedCheck = Now,
    };

    [Fact]
    public void A_healthy_replica_has_no_problem()
    {
        Assert.Empty(InstanceProblems.Of(Replica(), Settings, Now));
        Assert.True(InstanceProblems.IsUpToDate(Replica(), Settings, Now.AddSeconds(5)));
        Assert.False(InstanceProblems.IsUpToDate(Replica(), Settings, Now.AddSeconds(6)));
    }

    [Fact]
    public void A_failed_check_hides_the_other_problems_but_not_errant_gtids()
    {
        var instance = Replica().WithFailedCheck(Now.AddSeconds(1), false, false) with
        {
            ReplicationSqlThreadState = ReplicationThreadState.Stopped,
            GtidErrant = "x",
        };
        Assert.Equal([InstanceProblems.LastCheckInvalid, InstanceProblems.ErrantGtid], InstanceProblems.Of(instance, Settings, Now));
    }

    [Fact]
    public void Not_checked_for_more_than_five_polls_is_not_recently_checked()
    {
        Assert.Equal([InstanceProblems.NotRecentlyChecked], InstanceProblems.Of(Replica(), Settings, Now.AddSeconds(26)));
        Assert.Empty(InstanceProblems.Of(Replica(), Settings, Now.AddSeconds(25.9)));
    }

    [Fact]
    public void Stopped_threads_are_not_replicating_but_a_server_without_threads_is_fine()
    {
        var stopped = Replica() with { ReplicationIoThreadState = ReplicationThreadState.Connecting };
        Assert.Equal([InstanceProblems.NotReplicating], InstanceProblems.Of(stopped, Settings, Now));
        var primary = Replica() with
        {
            SourceHost = "", ReplicationIoThreadState = ReplicationThreadState.NoThread,
            ReplicationSqlThreadState = ReplicationThreadState.NoThread, ReplicationLagSeconds = null,
        };
        Assert.Empty(InstanceProblems.Of(primary, Settings, Now));
    }

    [Fact]
    public void Lag_beyond_the_delay_plus_reasonable_lag_is_reported()
    {
        Assert.Equal([InstanceProblems.ReplicationLag], InstanceProblems.Of(Replica() with { ReplicationLagSeconds = 11 }, Settings, Now));
        Assert.Empty(InstanceProblems.Of(Replica() with { ReplicationLagSeconds = 3610, SqlDelay = 3600 }, Settings, Now));
    }

    [Fact]
    public void Errant_gtid_tablets_are_counted()
    {
        Assert.Equal(1, InstanceProblems.CountWithErrantGtids([Replica(), Replica() with { GtidErrant = "u:1" }]));
    }
}
