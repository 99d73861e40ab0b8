using Query;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// What one tablet's health stream last told the daemon, and whether an event is worth an immediate look. Only a turn
/// from healthy to unhealthy is: a tablet already in trouble, or never heard from since the daemon started, is the
/// regular polls' business, and a stream that keeps failing must not make the daemon poll in a loop. The stream is a
/// hint that makes the daemon look sooner; what it sees when it looks (the polls) decides.
/// </summary>
internal sealed class HealthStreamState
{
    public HealthStreamCondition Condition { get; private set; } = HealthStreamCondition.Unknown;

    /// <summary>Why the stream is unhealthy (null otherwise).</summary>
    public string? Problem { get; private set; }

    /// <returns>The reason to look at the tablet now, or null.</returns>
    public string? OnMessage(StreamHealthResponse message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string error = message.RealtimeStats?.HealthError ?? "";
        if (error.Length == 0)
        {
            Condition = HealthStreamCondition.Healthy;
            Problem = null;
            return null;
        }
        return TurnUnhealthy($"reports \"{error}\"");
    }

    /// <summary>The stream ended, failed or fell silent.</summary>
    /// <returns>The reason to look at the tablet now, or null.</returns>
    public string? OnBroken(string reason) => TurnUnhealthy(reason);

    private string? TurnUnhealthy(string reason)
    {
        bool wasHealthy = Condition == HealthStreamCondition.Healthy;
        Condition = HealthStreamCondition.Unhealthy;
        Problem = reason;
        return wasHealthy ? reason : null;
    }
}
