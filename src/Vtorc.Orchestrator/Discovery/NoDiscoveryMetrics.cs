namespace Vtorc.Orchestrator.Discovery;

/// <summary>Metrics that go nowhere, for callers without a stats backend.</summary>
internal sealed class NoDiscoveryMetrics : IDiscoveryMetrics
{
    public static NoDiscoveryMetrics Instance { get; } = new();

    public void CountDiscoveryAttempt() { }

    public void CountDiscoveryFailure() { }

    public void CountInstancePollSecondsExceeded() { }

    public void CountInstanceReadTopology() { }

    public void ObserveInstanceTiming(string action, TimeSpan duration) { }

    public void SetQueueLength(int length) { }

    public void SetWorkers(int count) { }

    public void SetWorkersActive(int count) { }

    public void SetTabletsWatchedByCell(string cell, int count) { }
}
