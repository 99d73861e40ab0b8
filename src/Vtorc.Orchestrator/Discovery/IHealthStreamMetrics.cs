namespace Vtorc.Orchestrator.Discovery;

/// <summary>The health-stream stats (our additions, docs/vitess-compatibility.md). Implementations must be thread-safe.</summary>
public interface IHealthStreamMetrics
{
    /// <summary><c>HealthStreamsConnected</c>: streams that delivered at least one message and are still open.</summary>
    void AddHealthStreamsConnected(int delta);

    /// <summary><c>HealthStreamSignals</c> +1: a stream turned unhealthy (the daemon looks at the tablet at once unless
    /// the signal is left to the polls, see <see cref="CountHealthStreamSignalLeftToPolls"/>).</summary>
    void CountHealthStreamSignal();

    /// <summary><c>HealthStreamSignalsLeftToPolls</c> +1: a lost stream within a burst of them (<see cref="StreamLossBurst"/>)
    /// was left to the regular polls.</summary>
    void CountHealthStreamSignalLeftToPolls();
}
