namespace Vtorc.LocalCluster;

/// <summary>How <see cref="DetachedProcess.StopAsync"/> ended a process.</summary>
public enum DetachedStopOutcome
{
    /// <summary>It exited after SIGTERM within the grace period.</summary>
    Terminated,

    /// <summary>It ignored SIGTERM for the grace period and was SIGKILLed.</summary>
    Killed,
}
