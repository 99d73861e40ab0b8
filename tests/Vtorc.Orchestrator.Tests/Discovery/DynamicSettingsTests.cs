using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// <see cref="OrchestratorDaemon.ApplyDynamicSettings"/> (what a config-file change calls): the settings VTOrc treats as
/// dynamic reach the parts that read them; the others stay as started.
/// </summary>
public sealed class DynamicSettingsTests
{
    [Fact]
    public async Task DynamicSettingsReachThePollerRefresherPipelineAndAuditWhileStaticOnesStay()
    {
        await using var h = Create();
        var started = new OrchestratorOptions
        {
            Discovery = new DiscoverySettings { InstancePollTime = TimeSpan.FromSeconds(5), DiscoveryWorkers = 3, RemoteOperationTimeout = TimeSpan.FromSeconds(5) },
            Recovery = RecoverySettings.Default with { RemoteOperationTimeout = TimeSpan.FromSeconds(5) },
            AllowRecovery = false,
        };
        using var metrics = new VtorcMetrics();
        await using var daemon = await OrchestratorDaemon.StartAsync(h.Topo, h.Tablets, started, metrics, NullLoggerFactory.Instance,
            TimeProvider.System, Deadline());

        daemon.ApplyDynamicSettings(started with
        {
            Discovery = started.Discovery with
            {
                InstancePollTime = TimeSpan.FromSeconds(2), TopoInformationRefreshDuration = TimeSpan.FromSeconds(7),
                EnablePrimaryDiskStalledRecovery = true, DiscoveryWorkers = 50, RemoteOperationTimeout = TimeSpan.FromSeconds(1),
            },
            Recovery = started.Recovery with
            {
                WaitReplicasTimeout = TimeSpan.FromSeconds(12), AllowEmergencyReparent = false, RemoteOperationTimeout = TimeSpan.FromSeconds(1),
            },
            Store = started.Store with { AuditToBackend = true, SqliteDataFile = "/elsewhere.db" },
            RecoveryPollDuration = TimeSpan.FromSeconds(3),
            AuditPurgeDuration = TimeSpan.FromDays(2),
            AllowRecovery = true,
        });

        Assert.Equal(TimeSpan.FromSeconds(2), daemon.Poller.Settings.InstancePollTime);
        Assert.True(daemon.Poller.Settings.EnablePrimaryDiskStalledRecovery);
        Assert.Equal(TimeSpan.FromSeconds(7), daemon.Refresher.Settings.TopoInformationRefreshDuration);
        Assert.Equal(TimeSpan.FromSeconds(12), daemon.Pipeline.Settings.WaitReplicasTimeout);
        Assert.False(daemon.Pipeline.Settings.AllowEmergencyReparent);
        Assert.True(daemon.Store.AuditTrail.ToBackend);
        Assert.Equal(TimeSpan.FromSeconds(3), daemon.Options.RecoveryPollDuration);
        Assert.Equal(TimeSpan.FromDays(2), daemon.Options.AuditPurgeDuration);

        // Fixed at start, as in VTOrc.
        Assert.Equal(3, daemon.Poller.Settings.DiscoveryWorkers);
        Assert.Equal(TimeSpan.FromSeconds(5), daemon.Poller.Settings.RemoteOperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), daemon.Pipeline.Settings.RemoteOperationTimeout);
        Assert.Equal(started.Store.SqliteDataFile, daemon.Options.Store.SqliteDataFile);
        Assert.False(daemon.Options.AllowRecovery);
    }

    [Fact]
    public async Task AnOutOfRangeValueIsRefusedAndNothingChanges()
    {
        await using var h = Create();
        var started = new OrchestratorOptions { AllowRecovery = false, Discovery = new DiscoverySettings { DiscoveryWorkers = 2 } };
        using var metrics = new VtorcMetrics();
        await using var daemon = await OrchestratorDaemon.StartAsync(h.Topo, h.Tablets, started, metrics, NullLoggerFactory.Instance,
            TimeProvider.System, Deadline());

        Assert.Throws<ArgumentException>(() => daemon.ApplyDynamicSettings(started with
        {
            Discovery = started.Discovery with { InstancePollTime = TimeSpan.FromSeconds(1) },
            RecoveryPollDuration = TimeSpan.Zero,
        }));
        Assert.Equal(started.Discovery.InstancePollTime, daemon.Poller.Settings.InstancePollTime);
        Assert.Equal(started.RecoveryPollDuration, daemon.Options.RecoveryPollDuration);
    }
}
