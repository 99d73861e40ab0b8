namespace Vtorc.Agent.Flavors;

/// <summary>What a position-wait query answered.</summary>
public enum PositionWaitOutcome
{
    /// <summary>The server has applied the position.</summary>
    Reached,

    /// <summary>The timeout passed first.</summary>
    TimedOut,

    /// <summary>The server could not wait (NULL: e.g. replication not configured or SQL thread stopped for MASTER_POS_WAIT).</summary>
    Failed,
}
