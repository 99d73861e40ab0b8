namespace Vtorc.Orchestrator.Discovery;

/// <summary>The health-stream stats (our additions, docs/vitess-compatibility.md). Implementations must be thread-safe.</summary>
public interface IHealthStreamMetrics
{
    /// <summary><c>HealthStreamsConnected</c>: streams that delivered at least one message and are still open.</summary>
    void AddHealthStreamsConnected(int delta);

    /// <summary><c>HealthStreamSignals</c> +1: a stream turned unhealthy and the daemon looked at the tablet at once.</summary>
    void CountHealthStreamSignal();
}
