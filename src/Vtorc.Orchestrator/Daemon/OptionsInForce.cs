using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The daemon's options as they are now: those it started with, with the dynamic settings as last applied. The parts
/// that hold a setting of their own (the poller, the refresher, the pipeline, the audit trail) are given theirs when
/// it changes; the loops read theirs from <see cref="Current"/> at each tick.
/// </summary>
internal sealed class OptionsInForce(OrchestratorOptions started, InstancePoller poller, TopologyRefresher refresher, RecoveryPipeline pipeline,
    HistoryStore store)
{
    private readonly Lock _gate = new();
    private OrchestratorOptions _current = started;

    public OrchestratorOptions Current
    {
        get => Volatile.Read(ref _current);
        private set => Volatile.Write(ref _current, value);
    }

    /// <summary>
    /// Takes over the settings VTOrc treats as dynamic (the viper values registered with <c>Dynamic: true</c> in
    /// go/vt/vtorc/config/config.go) from <paramref name="updated"/>: the instance poll time, the disk-stall switch, the
    /// topo refresh and recovery tick periods, the reparent and analysis settings (<see cref="RecoverySettings"/>),
    /// <c>--audit-to-backend</c> and <c>--audit-purge-duration</c>. Every other value of <paramref name="updated"/> is
    /// ignored: it is fixed at start, as in VTOrc.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range; nothing is applied.</exception>
    public void Apply(OrchestratorOptions updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        lock (_gate)
        {
            var current = Current;
            var next = current with
            {
                Discovery = current.Discovery with
                {
                    InstancePollTime = updated.Discovery.InstancePollTime,
                    TopoInformationRefreshDuration = updated.Discovery.TopoInformationRefreshDuration,
                    EnablePrimaryDiskStalledRecovery = updated.Discovery.EnablePrimaryDiskStalledRecovery,
                },
                // Timeouts that are not dynamic in VTOrc stay as started.
                Recovery = updated.Recovery with
                {
                    RemoteOperationTimeout = current.Recovery.RemoteOperationTimeout,
                    ReplicaSettleTimeout = current.Recovery.ReplicaSettleTimeout,
                },
                Store = current.Store with { AuditToBackend = updated.Store.AuditToBackend },
                RecoveryPollDuration = updated.RecoveryPollDuration,
                AuditPurgeDuration = updated.AuditPurgeDuration,
            };
            next.Validate();
            poller.Settings = poller.Settings with
            {
                InstancePollTime = next.Discovery.InstancePollTime,
                EnablePrimaryDiskStalledRecovery = next.Discovery.EnablePrimaryDiskStalledRecovery,
            };
            refresher.Settings = refresher.Settings with { TopoInformationRefreshDuration = next.Discovery.TopoInformationRefreshDuration };
            pipeline.Settings = next.Recovery;
            store.AuditTrail.ToBackend = next.Store.AuditToBackend;
            Current = next;
        }
    }
}
