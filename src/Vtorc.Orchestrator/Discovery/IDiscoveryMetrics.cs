namespace Vtorc.Orchestrator.Discovery;

/// <summary>The discovery stats of VTOrc (go/vt/vtorc/logic/vtorc.go, tablet_discovery.go). Implementations must be
/// thread-safe.</summary>
public interface IDiscoveryMetrics
{
    /// <summary><c>DiscoveriesAttempt</c> +1.</summary>
    void CountDiscoveryAttempt();

    /// <summary><c>DiscoveriesFail</c> +1.</summary>
    void CountDiscoveryFailure();

    /// <summary><c>DiscoveriesInstancePollSecondsExceeded</c> +1.</summary>
    void CountInstancePollSecondsExceeded();

    /// <summary><c>InstanceReadTopology</c> +1: a FullStatus poll returned a status.</summary>
    void CountInstanceReadTopology();

    /// <summary>
    /// <c>DiscoveryInstanceTimings{Action}</c>, once per poll for each action: <c>Instance</c> (the FullStatus call),
    /// <c>Backend</c> (storing the result) and <c>Other</c> (the rest of the poll).
    /// </summary>
    void ObserveInstanceTiming(string action, TimeSpan duration);

    /// <summary><c>DiscoveriesQueueLength</c>.</summary>
    void SetQueueLength(int length);

    /// <summary><c>DiscoveryWorkers</c> (pool size).</summary>
    void SetWorkers(int count);

    /// <summary><c>DiscoveryWorkersActive</c> (busy workers).</summary>
    void SetWorkersActive(int count);

    /// <summary><c>TabletsWatchedByCell{cell}</c>.</summary>
    void SetTabletsWatchedByCell(string cell, int count);
}
