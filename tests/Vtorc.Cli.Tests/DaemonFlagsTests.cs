using System.CommandLine;
using Vtorc.Cli.Daemon;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli.Tests;

[StartsNoExternalProcess("runs the whole `vtorc` command tree, which holds `vtorc local up`, but only with bad flags, --help or no topology address")]
public class DaemonFlagsTests
{
    private static DaemonFlagValues Parse(params string[] args)
    {
        var flags = new DaemonFlags();
        var root = new RootCommand();
        flags.AddTo(root);
        var result = root.Parse(FlagSpelling.Normalize(args));
        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors.Select(e => e.Message)));
        return flags.GetValues(result);
    }

    [Fact]
    public void Defaults_are_the_documented_Vitess_defaults()
    {
        var v = Parse();
        Assert.Equal(TimeSpan.FromSeconds(5), v.InstancePollTime);
        Assert.Equal(TimeSpan.FromSeconds(15), v.TopoInformationRefreshDuration);
        Assert.Equal(TimeSpan.FromSeconds(1), v.RecoveryPollDuration);
        Assert.Equal("", v.ClustersToWatch);
        Assert.False(v.PreventCrossCellFailover);
        Assert.Equal(TimeSpan.FromSeconds(30), v.WaitReplicasTimeout);
        Assert.Equal(TimeSpan.Zero, v.TolerableReplicationLag);
        Assert.Equal(TimeSpan.FromSeconds(10), v.ReasonableReplicationLag);
        Assert.True(v.AllowEmergencyReparent);
        Assert.True(v.AllowRecovery);
        Assert.False(v.ChangeTabletsWithErrantGtidToDrained);
        Assert.False(v.EnablePrimaryDiskStalledRecovery);
        Assert.Equal(300, v.DiscoveryWorkers);
        Assert.Equal(256, v.MaxConcurrentRecoveries);
        Assert.Equal("file::memory:?mode=memory&cache=shared", v.SqliteDataFile);
        Assert.Equal("", v.AuditFileLocation);
        Assert.False(v.AuditToBackend);
        Assert.False(v.AuditToSyslog);
        Assert.Equal(TimeSpan.FromHours(168), v.AuditPurgeDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), v.ShutdownWaitTime);
        Assert.Equal(TimeSpan.FromSeconds(30), v.RecoveryPeriodBlockDuration);
        Assert.Equal("", v.Cell);
        Assert.Equal(0, v.Port);
        Assert.Equal("", v.BindAddress);
        Assert.Equal("", v.SecurityPolicy);
    }

    [Fact]
    public void The_quorum_flags_of_Vitess_main_default_to_off_and_are_read()
    {
        Assert.Equal(Vtorc.Orchestrator.Analysis.QuorumSettings.Default, Parse().Quorum);
        var v = Parse("--emergency-reparent-on-primary-tablet-unreachable", "--shard-tablet-health-failure-threshold=5",
            "--shard_tablet_health_freshness", "20s", "--shard-tablet-health-quorum-fraction=0.5", "--shard-tablet-health-quorum-min-observers", "2");
        Assert.Equal(new Vtorc.Orchestrator.Analysis.QuorumSettings
        {
            Enabled = true, FailureThreshold = 5, Freshness = TimeSpan.FromSeconds(20), Fraction = 0.5, MinObservers = 2,
        }, v.Quorum);
    }

    [Theory]
    [InlineData("--shard-tablet-health-quorum-fraction=0", "--shard-tablet-health-quorum-fraction")]
    [InlineData("--shard-tablet-health-quorum-fraction=1.5", "--shard-tablet-health-quorum-fraction")]
    [InlineData("--shard-tablet-health-failure-threshold=0", "--shard-tablet-health-failure-threshold")]
    [InlineData("--shard-tablet-health-quorum-min-observers=x", "--shard-tablet-health-quorum-min-observers")]
    public void Bad_quorum_values_are_refused_naming_the_flag(string arg, string flag)
    {
        var flags = new DaemonFlags();
        var root = new RootCommand();
        flags.AddTo(root);
        var result = root.Parse(FlagSpelling.Normalize([arg]));
        Assert.Contains(result.Errors, e => e.Message.Contains(flag, StringComparison.Ordinal));
    }

    [Fact]
    public void Underscore_spellings_are_accepted()
    {
        var v = Parse("--clusters_to_watch", "commerce,customer/-80", "--instance_poll_time=2s", "--shutdown_wait_time", "1m");
        Assert.Equal("commerce,customer/-80", v.ClustersToWatch);
        Assert.Equal(TimeSpan.FromSeconds(2), v.InstancePollTime);
        Assert.Equal(TimeSpan.FromMinutes(1), v.ShutdownWaitTime);
    }

    [Fact]
    public void Booleans_accept_bare_flag_and_explicit_values()
    {
        var v = Parse("--prevent-cross-cell-failover", "--allow-recovery=false", "--allow-emergency-reparent=true", "--audit-to-backend=false");
        Assert.True(v.PreventCrossCellFailover);
        Assert.False(v.AllowRecovery);
        Assert.True(v.AllowEmergencyReparent);
        Assert.False(v.AuditToBackend);
    }

    [Fact]
    public void Watch_topology_is_on_by_default_and_can_be_turned_off()
    {
        Assert.True(Parse().WatchTopology);
        Assert.False(Parse("--watch-topology=false").WatchTopology);
        Assert.True(Parse("--watch_topology").WatchTopology);
        var topo = new Vtorc.Topo.TopoServerOptions { GlobalServerAddresses = ["127.0.0.1:2379"], GlobalRoot = "/vitess/global" };
        Assert.False(Vtorc.Cli.Daemon.DaemonRunner.ToOptions(Parse("--watch-topology=false"), topo).TopologyWatch.Enabled);
        Assert.True(Vtorc.Cli.Daemon.DaemonRunner.ToOptions(Parse(), topo).TopologyWatch.Enabled);
    }

    [Fact]
    public void Tablet_health_stream_is_on_by_default_with_a_two_second_silence_timeout_and_both_can_be_set()
    {
        var topo = new Vtorc.Topo.TopoServerOptions { GlobalServerAddresses = ["127.0.0.1:2379"], GlobalRoot = "/vitess/global" };
        var defaults = Vtorc.Cli.Daemon.DaemonRunner.ToOptions(Parse(), topo).HealthStream;
        Assert.True(defaults.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.SilenceTimeout);

        var set = Vtorc.Cli.Daemon.DaemonRunner.ToOptions(Parse("--tablet-health-stream=false", "--tablet_health_stream_timeout=5s"), topo).HealthStream;
        Assert.False(set.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), set.SilenceTimeout);
    }

    [Fact]
    public void Valid_values_are_taken()
    {
        var v = Parse("--discovery-workers=1", "--max-concurrent-recoveries=1", "--port", "15000", "--security-policy=read-only", "--clusters-to-watch=ks/,ks/0,ks/80-c0,other/-",
            "--tolerable-replication-lag=0s", "--cell", "zone1", "--bind-address", "127.0.0.1");
        Assert.Equal(1, v.DiscoveryWorkers);
        Assert.Equal(1, v.MaxConcurrentRecoveries);
        Assert.Equal(15000, v.Port);
        Assert.Equal("read-only", v.SecurityPolicy);
        Assert.Equal("zone1", v.Cell);
        Assert.Equal("127.0.0.1", v.BindAddress);
    }

    [Theory]
    [InlineData("--instance-poll-time=-1s", "--instance-poll-time", "-1s")]
    [InlineData("--instance-poll-time=0s", "--instance-poll-time", "0s")]
    [InlineData("--recovery-poll-duration=0", "--recovery-poll-duration", "0")]
    [InlineData("--topo-information-refresh-duration=0s", "--topo-information-refresh-duration", "0s")]
    [InlineData("--wait-replicas-timeout=-5s", "--wait-replicas-timeout", "-5s")]
    [InlineData("--tolerable-replication-lag=-1s", "--tolerable-replication-lag", "-1s")]
    [InlineData("--reasonable-replication-lag=-1s", "--reasonable-replication-lag", "-1s")]
    [InlineData("--audit-purge-duration=-1h", "--audit-purge-duration", "-1h")]
    [InlineData("--shutdown-wait-time=-1s", "--shutdown-wait-time", "-1s")]
    [InlineData("--recovery-period-block-duration=-1s", "--recovery-period-block-duration", "-1s")]
    [InlineData("--instance-poll-time=5", "--instance-poll-time", "5")]
    [InlineData("--discovery-workers=0", "--discovery-workers", "0")]
    [InlineData("--discovery-workers=many", "--discovery-workers", "many")]
    [InlineData("--max-concurrent-recoveries=0", "--max-concurrent-recoveries", "0")]
    [InlineData("--port=-1", "--port", "-1")]
    [InlineData("--port=65536", "--port", "65536")]
    [InlineData("--security-policy=open", "--security-policy", "open")]
    [InlineData("--allow-recovery=maybe", "--allow-recovery", "maybe")]
    [InlineData("--clusters-to-watch=ks/80-40", "--clusters-to-watch", "ks/80-40")]
    [InlineData("--clusters-to-watch=ok,ks/zz", "--clusters-to-watch", "ks/zz")]
    [InlineData("--clusters_to_watch=ks/8-", "--clusters-to-watch", "ks/8-")]
    public async Task Invalid_value_fails_with_an_error_naming_the_flag_and_value(string arg, string flag, string quoted)
    {
        var result = await CtlRunner.RunRawAsync(arg);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(flag, result.Error);
        Assert.Contains($"\"{quoted}", result.Error);
        Assert.DoesNotContain("--topo-global-server-address is required", result.Error);
    }

    [Fact]
    public async Task Valid_flags_reach_the_root_action_which_needs_the_topology_address()
    {
        var result = await CtlRunner.RunRawAsync("--instance-poll-time=1s", "--allow-recovery=false", "--clusters-to-watch", "ks/-80");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--topo-global-server-address is required", result.Error);
    }

    [Fact]
    public async Task Help_lists_every_flag_with_its_default_in_Go_spelling()
    {
        var result = await CtlRunner.RunRawAsync("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new DaemonFlags().All)
        {
            Assert.Contains(option.Name, result.Output);
        }

        Assert.Contains("--topo-global-server-address", result.Output);
        Assert.Contains("(default 5s)", result.Output);
        Assert.Contains("(default 168h0m0s)", result.Output);
        Assert.Contains("(default true)", result.Output);
        Assert.Contains("(default 300)", result.Output);
        Assert.Contains("(default \"file::memory:?mode=memory&cache=shared\")", result.Output);
    }
}
