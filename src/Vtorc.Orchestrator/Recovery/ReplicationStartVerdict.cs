using Replicationdata;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>What a replica's status says about replication that was just (re)started.</summary>
internal enum ReplicationStartOutcome
{
    /// <summary>Both threads run.</summary>
    Running,

    /// <summary>A thread stopped with an error: starting it again will not help.</summary>
    Failed,

    /// <summary>Still connecting, or the status does not say (e.g. a tablet that reports no thread states).</summary>
    Undecided,
}

/// <summary>
/// Judges a replica's status after a repair started its replication. Without it a START SLAVE that the source answers
/// with an error (MariaDB 1236) counted as a successful repair, and the same problem was "repaired" every tick.
/// </summary>
internal static class ReplicationStartVerdict
{
    private const int Stopped = 1;
    private const int Running = 3;

    public static (ReplicationStartOutcome Outcome, string Reason) Judge(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.IoState == Running && status.SqlState == Running)
        {
            return (ReplicationStartOutcome.Running, "");
        }
        if (status.IoState == Stopped && status.LastIoError.Length != 0)
        {
            return (ReplicationStartOutcome.Failed, $"IO thread stopped: {status.LastIoError}");
        }
        if (status.SqlState == Stopped && status.LastSqlError.Length != 0)
        {
            return (ReplicationStartOutcome.Failed, $"SQL thread stopped: {status.LastSqlError}");
        }
        return (ReplicationStartOutcome.Undecided, "");
    }
}
