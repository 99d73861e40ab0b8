using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Http;

public sealed class StatusPageTests
{
    private static StatusPageModel Model(ShardScenario scenario, bool? disabled = false, bool adminAllowed = true,
        IReadOnlyList<RecoveryRecord>? recoveries = null) => new()
    {
        Version = "1.0<beta>",
        Hostname = "host&co",
        StartedAt = ShardScenario.Now.AddMinutes(-61),
        Now = ShardScenario.Now,
        WatchScope = "ks",
        RecoveriesDisabled = disabled,
        AdminAllowed = adminAllowed,
        DiscoveredOnce = true,
        AnalysisSettings = scenario.Settings,
        Shards = [new ShardStatus(scenario.Build(), scenario.Analyze())],
        RecentRecoveries = recoveries ?? [],
    };

    [Fact]
    public void Shows_every_tablet_the_shard_and_its_problems()
    {
        var scenario = new ShardScenario();
        var primary = scenario.Primary(100);
        var replica = scenario.Replica(101);
        scenario.StopReplication(replica);

        var html = StatusPage.Render(Model(scenario));

        Assert.Contains(primary, html);
        Assert.Contains(replica, html);
        Assert.Contains("<h2>ks/0</h2>", html);
        Assert.Contains(AnalysisCodes.ReplicationStopped, html);
        Assert.Contains("up 1h1m0s", html);
        Assert.Contains("<meta http-equiv=\"refresh\"", html);
    }

    [Fact]
    public void An_unreachable_tablet_shows_why_its_last_poll_failed_escaped()
    {
        var scenario = new ShardScenario();
        var primary = scenario.Primary(100);
        scenario.Replica(101);
        scenario.Unreachable(primary);
        var model = Model(scenario) with
        {
            PollErrors = new Dictionary<string, string> { [primary] = "UNAVAILABLE: <connection refused> & gone" },
        };

        var html = StatusPage.Render(model);

        Assert.Contains("no; last seen", html);
        Assert.Contains("UNAVAILABLE: &lt;connection refused&gt; &amp; gone", html);
    }

    [Fact]
    public void A_current_problem_shows_why_its_latest_recovery_attempt_did_not_repair_it()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var replica = scenario.Replica(101);
        scenario.StopReplication(replica);
        var held = new RecoveryExecution(RecoveryOutcome.Skipped, "FixReplica", "blocking FixReplica: acknowledge recovery 12 <now>")
        {
            SkipReason = RecoverySkipReason.RecoveryPeriodBlock,
        };
        var model = Model(scenario) with
        {
            RecoveryOutcomes = new Dictionary<(string Alias, string Analysis), LastRecoveryOutcome>
            {
                [(replica, AnalysisCodes.ReplicationStopped)] = new(held, ShardScenario.Now.AddSeconds(-3)),
            },
        };

        var html = StatusPage.Render(model);

        Assert.Contains("Skipped (RecoveryPeriodBlock)", html);
        Assert.Contains("3s ago", html);
        Assert.Contains("acknowledge recovery 12 &lt;now&gt;", html);
    }

    [Fact]
    public void Escapes_every_value_that_comes_from_a_tablet_or_the_history()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var replica = scenario.Replica(101);
        scenario.Observe(replica, o => o with
        {
            LastIoError = "\"><script>alert('io')</script>",
            GtidErrant = "<img src=x onerror=alert(1)>",
            ExecutedGtidSet = "MySQL56/<b>bold</b>:1-5",
        });
        var recovery = new RecoveryRecord
        {
            RecoveryId = 7, Alias = "<i>alias</i>", Analysis = "Dead<Primary>", Keyspace = "ks", Shard = "0", DetectionId = 1,
            StartRecovery = ShardScenario.Now, EndRecovery = ShardScenario.Now, AllErrors = "<script>boom</script>",
            Acknowledgement = new RecoveryAcknowledgement(7, "<op>", "<script>ack</script>", ShardScenario.Now),
        };

        var html = StatusPage.Render(Model(scenario, recoveries: [recovery]));

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>bold", html);
        Assert.DoesNotContain("<i>alias", html);
        Assert.DoesNotContain("1.0<beta>", html);
        Assert.Contains("&lt;script&gt;ack&lt;/script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("host&amp;co", html);
    }

    [Fact]
    public void Offers_the_enable_and_disable_buttons_only_when_admin_actions_are_allowed()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);

        Assert.Contains("action=\"/api/disable-global-recoveries\"", StatusPage.Render(Model(scenario, disabled: false)));
        Assert.Contains("action=\"/api/enable-global-recoveries\"", StatusPage.Render(Model(scenario, disabled: true)));
        Assert.DoesNotContain("<form", StatusPage.Render(Model(scenario, disabled: true, adminAllowed: false)));
    }

    [Fact]
    public void Recent_recoveries_show_the_VTOrc_columns_and_the_acknowledgement()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var recovery = new RecoveryRecord
        {
            RecoveryId = 12, Alias = "zone1-0000000100", Analysis = AnalysisCodes.DeadPrimary, Keyspace = "ks", Shard = "0",
            DetectionId = 3, StartRecovery = ShardScenario.Now.AddSeconds(-5), EndRecovery = ShardScenario.Now, IsSuccessful = true,
            SuccessorAlias = "zone1-0000000101",
            Steps = [new RecoveryStepRecord(1, 12, ShardScenario.Now, "promoted zone1-0000000101")],
            Acknowledgement = new RecoveryAcknowledgement(12, "alice", "checked", ShardScenario.Now),
        };

        var html = StatusPage.Render(Model(scenario, recoveries: [recovery]));

        Assert.Contains("Recent Recoveries", html);
        Assert.Contains("<td>12</td>", html);
        Assert.Contains("zone1-0000000101", html);
        Assert.Contains("by alice", html);
        Assert.Contains("promoted zone1-0000000101", html);
    }

    [Theory]
    [InlineData("MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "3e11fa47…:1-5")]
    [InlineData("", "—")]
    [InlineData("0-1-100", "0-1-100")]
    public void Gtid_positions_are_abbreviated(string position, string shown) =>
        Assert.Equal(shown, StatusPage.Abbreviate(position));
}
