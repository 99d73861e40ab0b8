using Replicationdata;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// What <see cref="IReplicationFlavor.BuildFullStatus"/> needs: the answers of
/// <see cref="IReplicationFlavor.FullStatusVariablesQuery"/> and <see cref="IReplicationFlavor.FullStatusStatusQuery"/>
/// (as name → value, <see cref="ServerVariables.ToDictionary"/>), the parsed replication status (null when not a
/// replica) and primary status (null when the binary log is off).
/// </summary>
public sealed record FullStatusInputs(
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, string> Status,
    Status? ReplicationStatus,
    PrimaryStatus? PrimaryStatus)
{
    /// <summary>
    /// The heartbeat period from <see cref="IReplicationFlavor.HeartbeatIntervalQuery"/> when the flavor has one
    /// (MySQL); MariaDB reads it from the status values and ignores this.
    /// </summary>
    public double? HeartbeatIntervalSeconds { get; init; }
}
