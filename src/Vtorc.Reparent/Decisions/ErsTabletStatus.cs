using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// What ERS learned from one tablet it reached while stopping replication: a replica's status after its IO
/// thread stopped, or — for a tablet that answered "not a replica" and was force-demoted — its primary position.
/// </summary>
public sealed record ErsTabletStatus
{
    private ErsTabletStatus(TabletInfo tablet, bool wasPrimary, ReplicationPosition executed, ReplicationPosition relayLog,
        ServerUuid? sourceUuid, bool backupRunning)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        ArgumentNullException.ThrowIfNull(executed);
        ArgumentNullException.ThrowIfNull(relayLog);
        Tablet = tablet;
        WasPrimary = wasPrimary;
        Executed = executed;
        RelayLog = relayLog;
        SourceUuid = sourceUuid;
        BackupRunning = backupRunning;
    }

    /// <param name="executed"><c>after.position</c>.</param>
    /// <param name="relayLog"><c>after.relay_log_position</c> (executed ∪ retrieved; empty for MariaDB and file positions).</param>
    /// <param name="sourceUuid"><c>after.source_uuid</c>: the server it replicated from.</param>
    /// <param name="backupRunning"><c>backup_running</c>: it is taking a backup while keeping its type.</param>
    public static ErsTabletStatus Replica(TabletInfo tablet, ReplicationPosition executed, ReplicationPosition relayLog,
        ServerUuid? sourceUuid = null, bool backupRunning = false) =>
        new(tablet, false, executed, relayLog, sourceUuid, backupRunning);

    /// <param name="position">The demoted primary's <c>primary_status.position</c>.</param>
    public static ErsTabletStatus DemotedPrimary(TabletInfo tablet, ReplicationPosition position) =>
        new(tablet, true, position, ReplicationPosition.Empty, null, false);

    public TabletInfo Tablet { get; }

    public string Alias => Tablet.Alias;

    /// <summary>It answered "not a replica" and was demoted, so it has no replica status.</summary>
    public bool WasPrimary { get; }

    public ReplicationPosition Executed { get; }

    public ReplicationPosition RelayLog { get; }

    public ServerUuid? SourceUuid { get; }

    public bool BackupRunning { get; }

    /// <summary>
    /// MariaDB only: <c>after.gtid_binlog_state</c> (our extension, field 10001), null when the tablet did not report
    /// one (MySQL, a real vttablet, a demoted primary).
    /// </summary>
    public MariaDbBinlogState? BinlogState { get; init; }

    /// <summary><c>after.source_server_id</c>: the server_id of the server it replicated from (0 unknown).</summary>
    public uint SourceServerId { get; init; }
}
