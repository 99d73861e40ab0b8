namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// State of a replication (IO or SQL) thread in VTOrc's own encoding, which the API exposes as numbers
/// (go/vt/vtorc/inst/replication_thread_state.go). It differs from the tablet's wire encoding (0 unknown, 1 stopped, 2
/// connecting, 3 running), hence <see cref="ReplicationThreadStates.FromWire"/>.
/// </summary>
public enum ReplicationThreadState
{
    NoThread = -1,
    Stopped = 0,
    Running = 1,
    Connecting = 2,
}

internal static class ReplicationThreadStates
{
    /// <summary>Maps <c>replicationdata.Status.io_state/sql_state</c>; anything unrecognised means "no thread".</summary>
    public static ReplicationThreadState FromWire(int wireState) => wireState switch
    {
        1 => ReplicationThreadState.Stopped,
        2 => ReplicationThreadState.Connecting,
        3 => ReplicationThreadState.Running,
        _ => ReplicationThreadState.NoThread,
    };
}
