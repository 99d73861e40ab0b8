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
    public void Lists_every_recovery_switch_that_is_off_with_who_why_and_since_next_to_the_global_one()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var model = Model(scenario, disabled: true) with
        {
            RecoveryDisables =
            [
                new RecoveryDisable(RecoveryScope.ForShard("other", "-80"), "alice, page from 10.1.2.3", "disk <swap>", ShardScenario.Now.AddMinutes(-5)),
                new RecoveryDisable(RecoveryScope.Global, "HTTP GET from 10.0.0.9", "", null),
                new RecoveryDisable(RecoveryScope.ForKeyspace("ks"), "page from 10.1.2.4", "migration", ShardScenario.Now.AddHours(-2)),
            ],
        };

        var html = StatusPage.Render(model);

        // The Vitess part of the header is as it was.
        Assert.Contains("Recoveries: <span class=\"bad\">disabled</span> (problems are detected, not repaired)", html);
        Assert.Contains("action=\"/api/enable-global-recoveries\"", html);
        var global = html.IndexOf("<td class=\"bad\">globally</td><td>HTTP GET from 10.0.0.9</td><td>—</td><td><span class=\"note\">not recorded</span></td>", StringComparison.Ordinal);
        var keyspace = html.IndexOf("<td class=\"bad\">for keyspace ks</td><td>page from 10.1.2.4</td><td>migration</td><td>2026", StringComparison.Ordinal);
        var shard = html.IndexOf("<td class=\"bad\">for shard other/-80</td><td>alice, page from 10.1.2.3</td><td>disk &lt;swap&gt;</td>", StringComparison.Ordinal);
        Assert.True(global > 0 && keyspace > global && shard > keyspace, html);
        Assert.Contains("(5m0s ago)", html);
        Assert.Contains("(2h0m0s ago)", html);
        Assert.Contains("turned on again on the <a href=\"/\">operator page</a>", html);
    }

    [Fact]
    public void Shows_no_switch_table_while_every_switch_is_on()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);

        var html = StatusPage.Render(Model(scenario));

        Assert.DoesNotContain("class=\"switches\"", html);
        Assert.DoesNotContain("Not repaired:", html);
    }

    [Fact]
    public void A_shard_whose_problems_a_switch_holds_says_so_where_its_problems_are_listed()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var replica = scenario.Replica(101);
        scenario.StopReplication(replica);
        var model = Model(scenario) with
        {
            RecoveryDisables =
            [
                new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "alice, page from 10.1.2.3", "disk swap", ShardScenario.Now.AddMinutes(-5)),
                new RecoveryDisable(RecoveryScope.ForKeyspace("ks"), "page from 10.1.2.4", "", null),
                new RecoveryDisable(RecoveryScope.ForShard("ks", "80-"), "bob", "not this shard", null),
                new RecoveryDisable(RecoveryScope.ForKeyspace("other"), "carol", "not this keyspace", null),
            ],
        };

        var html = StatusPage.Render(model);

        var problems = html[html.IndexOf("<h3>Current problems</h3>", StringComparison.Ordinal)..];
        Assert.Contains("<p class=\"bad held\">Not repaired: recoveries disabled for keyspace ks by page from 10.1.2.4; problems here are detected, not repaired</p>", problems);
        Assert.Contains("<p class=\"bad held\">Not repaired: recoveries disabled for shard ks/0 by alice, page from 10.1.2.3 (disk swap) since 2026", problems);
        Assert.DoesNotContain("not this shard", problems);
        Assert.DoesNotContain("not this keyspace", problems);
        Assert.True(problems.IndexOf("Not repaired:", StringComparison.Ordinal) < problems.IndexOf(AnalysisCodes.ReplicationStopped, StringComparison.Ordinal));
    }

    [Fact]
    public void A_shard_without_problems_under_a_switch_says_none_as_before()
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        var model = Model(scenario) with { RecoveryDisables = [new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "bob", "", null)] };

        var html = StatusPage.Render(model);

        Assert.Contains("<h3>Current problems</h3>\n<p class=\"note\">none</p>", html);
        Assert.DoesNotContain("Not repaired:", html);
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
