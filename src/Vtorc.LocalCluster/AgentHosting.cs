namespace Vtorc.LocalCluster;

/// <summary>Where <see cref="AgentCluster"/> runs its tablet agents.</summary>
public enum AgentHosting
{
    /// <summary>A <see cref="Vtorc.Agent.TabletAgent"/> inside the test process; a crash abandons it without clean shutdown.</summary>
    InProcess,

    /// <summary>A <c>vtorc tablet</c> OS process per member (<see cref="AgentProcess"/>); a crash is SIGKILL by pid.</summary>
    Process,
}
