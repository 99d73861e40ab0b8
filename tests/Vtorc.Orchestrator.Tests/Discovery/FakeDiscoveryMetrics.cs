using System.Collections.Concurrent;
using Vtorc.Orchestrator.Discovery;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>Records the discovery stats so tests can see, e.g., which cells answered a refresh.</summary>
internal sealed class FakeDiscoveryMetrics : IDiscoveryMetrics
{
    private int _attempts;
    private int _failures;
    private int _readTopology;

    public int Attempts => Volatile.Read(ref _attempts);

    public int Failures => Volatile.Read(ref _failures);

    /// <summary><c>InstanceReadTopology</c>: FullStatus calls that returned a status.</summary>
    public int ReadTopology => Volatile.Read(ref _readTopology);

    /// <summary>Every <c>DiscoveryInstanceTimings</c> action observed, in order.</summary>
    public ConcurrentQueue<string> InstanceTimingActions { get; } = new();

    /// <summary>Every <c>TabletsWatchedByCell</c> update in order.</summary>
    public ConcurrentQueue<(string Cell, int Count)> WatchedByCell { get; } = new();

    public void CountDiscoveryAttempt() => Interlocked.Increment(ref _attempts);

    public void CountDiscoveryFailure() => Interlocked.Increment(ref _failures);

    public void CountInstancePollSecondsExceeded() { }

    public void CountInstanceReadTopology() => Interlocked.Increment(ref _readTopology);

    public void ObserveInstanceTiming(string action, TimeSpan duration) => InstanceTimingActions.Enqueue(action);

    public void SetQueueLength(int length) { }

    public void SetWorkers(int count) { }

    public void SetWorkersActive(int count) { }

    public void SetTabletsWatchedByCell(string cell, int count) => WatchedByCell.Enqueue((cell, count));
}
