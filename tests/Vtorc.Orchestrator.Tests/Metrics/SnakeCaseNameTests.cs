using Vtorc.Orchestrator.Metrics;

namespace Vtorc.Orchestrator.Tests.Metrics;

public sealed class SnakeCaseNameTests
{
    [Theory]
    [InlineData("Camel", "camel")]
    [InlineData("CamelCase", "camel_case")]
    [InlineData("CCamel", "c_camel")]
    [InlineData("CCCamel", "cc_camel")]
    [InlineData("CAMEL_CASE", "camel_case")]
    [InlineData("camel-case", "camel_case")]
    [InlineData("0.0", "0_0")]
    [InlineData("JSON", "json")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("CurrentErrantGTIDCount", "current_errant_gtid_count")]
    [InlineData("ErrantGtidTabletCount", "errant_gtid_tablet_count")]
    [InlineData("DiscoveriesInstancePollSecondsExceeded", "discoveries_instance_poll_seconds_exceeded")]
    [InlineData("RecoveryType", "recovery_type")]
    [InlineData("TabletAlias", "tablet_alias")]
    public void ConvertsLikeVitess(string name, string expected) => Assert.Equal(expected, SnakeCaseName.Convert(name));

    [Theory]
    [InlineData("AnalysisChangeWrite", "vtorc_analysis_change_write")]
    [InlineData("DiscoveryInstanceTimings", "vtorc_discovery_instance_timings")]
    [InlineData("DiscoveryWorkersActive", "vtorc_discovery_workers_active")]
    [InlineData("InstanceReadTopology", "vtorc_instance_read_topology")]
    [InlineData("ShardLockTimings", "vtorc_shard_lock_timings")]
    [InlineData("TabletsWatchedByShard", "vtorc_tablets_watched_by_shard")]
    [InlineData("EmergencyReparentShardDisabled", "vtorc_emergency_reparent_shard_disabled")]
    public void StatsHaveThePrometheusNamesVtorcExports(string stat, string expected) =>
        Assert.Equal(expected, Assert.Single(VtorcStats.All, s => s.Name == stat).PrometheusName);
}
