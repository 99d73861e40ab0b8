namespace Vtorc.Orchestrator.Discovery;

/// <summary>A tablet's health as its stream last showed it.</summary>
public enum HealthStreamCondition
{
    /// <summary>Nothing heard since the daemon started watching the tablet.</summary>
    Unknown,

    /// <summary>The last message had no health error.</summary>
    Healthy,

    /// <summary>The last message had a health error, or the stream ended, failed or fell silent.</summary>
    Unhealthy,
}
