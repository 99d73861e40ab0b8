namespace Vtorc.Agent.Flavors;

/// <summary>
/// The replica net timeout and source heartbeat the agent configures on its mysqld (docs/reliability.md, "Silence is
/// not health"). A replica that receives nothing (no event, no heartbeat) for the net timeout drops its connection and
/// reconnects, so its IO thread stops reporting "running" and VTOrc no longer counts it as replicating. The heartbeat
/// is half the net timeout, the ratio VTOrc's ReplicaMisconfigured check expects
/// (src/Vtorc.Orchestrator/Analysis/AnalysisProblems.cs).
/// </summary>
internal static class ReplicationTimeouts
{
    /// <summary>
    /// slave_net_timeout / replica_net_timeout in seconds. MariaDB's default (60) let a partitioned primary keep
    /// its replicas believing in it for a minute; Vitess's my.cnf for MySQL 8.0.26+ uses 8.
    /// </summary>
    public const int NetTimeoutSeconds = 4;

    /// <summary>MASTER_HEARTBEAT_PERIOD / SOURCE_HEARTBEAT_PERIOD in seconds: half the net timeout.</summary>
    public const double HeartbeatSeconds = NetTimeoutSeconds / 2.0;

    /// <summary>
    /// The heartbeat to configure for a requested one: 0 (the RPC's "server default") becomes
    /// <see cref="HeartbeatSeconds"/>, and anything longer is shortened to it, since a heartbeat at or beyond the
    /// net timeout makes an idle replica reconnect over and over.
    /// </summary>
    public static double HeartbeatFor(double requestedSeconds) =>
        requestedSeconds > 0 ? Math.Min(requestedSeconds, HeartbeatSeconds) : HeartbeatSeconds;

    /// <summary>Returns <paramref name="seconds"/> when it is a usable net timeout, else throws naming it.</summary>
    public static int RequireNetTimeout(int seconds) => seconds > 0
        ? seconds
        : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "the replica net timeout must be at least 1 second");
}
