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

    /// <summary>
    /// A FullStatus with the fields every flavor reads under the same names (server id, version, read_only, binary log
    /// settings) and the replication and primary status attached; the flavor adds its own fields and semi-sync.
    /// </summary>
    internal FullStatus CommonFullStatus()
    {
        var full = new FullStatus
        {
            ServerId = StatusValues.UInt32(Variables, "server_id"),
            Version = StatusValues.Version(Variables),
            VersionComment = StatusValues.Text(Variables, "version_comment"),
            ReadOnly = StatusValues.IsOn(Variables, "read_only"),
            BinlogFormat = StatusValues.Text(Variables, "binlog_format"),
            BinlogRowImage = StatusValues.Text(Variables, "binlog_row_image"),
            LogBinEnabled = StatusValues.IsOn(Variables, "log_bin"),
        };
        if (ReplicationStatus is not null)
        {
            full.ReplicationStatus = ReplicationStatus;
        }
        if (PrimaryStatus is not null)
        {
            full.PrimaryStatus = PrimaryStatus;
        }
        return full;
    }
}
