using Replicationdata;
using Vtorc.Agent.MySql;
using Vtorc.Replication;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// The SQL one server product needs for each replication operation of the tablet agent, and the parsers that turn
/// what the server answers into <c>replicationdata</c> messages. Pure: every member builds text or reads rows;
/// the caller runs the statements (in order, stopping at the first error) on its own connection.
/// </summary>
/// <remarks>
/// Obtain one with <see cref="ReplicationFlavors.For(MySqlFlavor, Func{string, string}?)"/>. Rows come in as
/// <see cref="RowValues"/> (from a <see cref="MySqlRow"/> or, in tests, a dictionary).
/// </remarks>
public interface IReplicationFlavor
{
    /// <summary>"MariaDB", "MySQL80" or "MySQL84".</summary>
    string Name { get; }

    /// <summary>The flavor of the GTID positions this server reports (MariaDB or MySQL56).</summary>
    PositionFlavor PositionFlavor { get; }

    /// <summary>The server product and version this flavor was chosen for.</summary>
    MySqlFlavor Server { get; }

    /// <summary>Whether the server has <c>super_read_only</c> (MySQL yes, MariaDB no).</summary>
    bool SupportsSuperReadOnly { get; }

    /// <summary>Stops both replication threads.</summary>
    IReadOnlyList<string> StopReplication();

    /// <summary>Stops only the IO (receiver) thread, as ERS asks with StopReplicationMode IOTHREADONLY.</summary>
    IReadOnlyList<string> StopIoThread();

    /// <summary>Starts both replication threads.</summary>
    IReadOnlyList<string> StartReplication();

    /// <summary>Starts only the SQL (applier) thread.</summary>
    IReadOnlyList<string> StartSqlThread();

    /// <summary>
    /// Forgets the source (ResetReplication, InitPrimary, InitReplica): stop, RESET … ALL. Never resets binary logs or
    /// GTID state: on a server about to become primary that history must survive (replicas compare against it);
    /// <see cref="SetReplicationPosition"/> replaces it when InitReplica asks for a position.
    /// </summary>
    IReadOnlyList<string> ResetReplication();

    /// <summary>
    /// Forgets the source connection parameters only (the ResetReplicationParameters RPC, used on a primary that
    /// still replicates from someone): stop, RESET … ALL. GTID state is kept.
    /// </summary>
    IReadOnlyList<string> ResetReplicationParameters();

    /// <summary>
    /// Points replication at a source (CHANGE MASTER TO / CHANGE REPLICATION SOURCE TO). Does not stop or start
    /// replication: the caller stops it first and starts it afterwards when it should run. Values are quoted with
    /// the flavor's quoter.
    /// </summary>
    IReadOnlyList<string> SetReplicationSource(ReplicationSourceSettings source);

    /// <summary>
    /// Makes the server's replication start from <paramref name="position"/> (InitReplica): resets the binary logs
    /// and sets the GTID state. Throws <see cref="ArgumentException"/> quoting a position of another flavor.
    /// </summary>
    IReadOnlyList<string> SetReplicationPosition(ReplicationPosition position);

    /// <summary>The replication status query (SHOW ALL SLAVES STATUS / SHOW REPLICA STATUS / SHOW SLAVE STATUS).</summary>
    string ReplicationStatusQuery { get; }

    /// <summary>
    /// The <c>Status</c> from the rows of <see cref="ReplicationStatusQuery"/>, or null when there is no row for the
    /// default channel (the server is not a replica: answer errno 100, <see cref="Manager.RpcErrors.NotReplicaText"/>).
    /// Semi-sync fields 26–29 are left false; fill them with <see cref="SemiSyncState.ApplyTo"/>.
    /// </summary>
    /// <exception cref="FormatException">A value cannot be parsed; the message names the column and quotes the value.</exception>
    Status? ParseReplicationStatus(IReadOnlyList<RowValues> rows);

    /// <summary>
    /// What the replica has received from its source so far, as text that changes whenever anything arrives (an
    /// event or a heartbeat), from the rows of <see cref="ReplicationStatusQuery"/>; null when there is no default
    /// channel, its IO thread is not running, or the server does not report received heartbeats. Feeds
    /// <see cref="SourceSilenceTracker"/>.
    /// </summary>
    string? SourceContactMarker(IReadOnlyList<RowValues> rows);

    /// <summary>Sets the replica net timeout (slave_net_timeout / replica_net_timeout) in whole seconds.</summary>
    IReadOnlyList<string> SetReplicaNetTimeout(int seconds);

    /// <summary>The primary's binary log file and position (MySQL: SHOW MASTER STATUS / SHOW BINARY LOG STATUS).</summary>
    string PrimaryStatusQuery { get; }

    /// <summary>
    /// The <c>PrimaryStatus</c> from the row of <see cref="PrimaryStatusQuery"/> (null row = binary log off ⇒ null),
    /// the text of <see cref="CurrentPositionQuery"/> and the server uuid ("" for MariaDB).
    /// </summary>
    PrimaryStatus? ParsePrimaryStatus(RowValues? row, string? currentPositionText, string serverUuid);

    /// <summary>
    /// The query for this server's own executed position as one column (MariaDB <c>@@GLOBAL.gtid_binlog_pos</c>,
    /// MySQL <c>@@GLOBAL.gtid_executed</c>): PrimaryPosition, PromoteReplica, DemotePrimary.
    /// </summary>
    string CurrentPositionQuery { get; }

    /// <summary>Turns the single value of <see cref="CurrentPositionQuery"/> into a position of this flavor (NULL ⇒ empty set).</summary>
    ReplicationPosition ParseCurrentPosition(string? value);

    /// <summary>SHOW GLOBAL VARIABLES restricted to the names <see cref="BuildFullStatus"/> reads (absent names are simply missing).</summary>
    string FullStatusVariablesQuery { get; }

    /// <summary>SHOW GLOBAL STATUS restricted to the names <see cref="BuildFullStatus"/> reads.</summary>
    string FullStatusStatusQuery { get; }

    /// <summary>
    /// The FullStatus VTOrc polls, from the variables and status values (name → value, see
    /// <see cref="ServerVariables.ToDictionary"/>) and the parsed replication and primary status. Does not set
    /// tablet_type, disk_stalled, shard_peer_health or semi_sync_blocked: those belong to the agent (the last needs
    /// successive samples, <see cref="SemiSyncStallTracker"/>).
    /// </summary>
    FullStatus BuildFullStatus(FullStatusInputs inputs);

    /// <summary>
    /// The query for the replica's heartbeat period in seconds (one column, no row when not a replica) for
    /// <see cref="FullStatusInputs.HeartbeatIntervalSeconds"/>, or null when the status values carry it (MariaDB).
    /// </summary>
    string? HeartbeatIntervalQuery { get; }

    /// <summary>
    /// The query for the binary log's last GTID per (domain, server_id) as one column (MariaDB
    /// <c>@@GLOBAL.gtid_binlog_state</c>), or null when the flavor has none (MySQL's GTID sets show divergence already).
    /// </summary>
    string? BinlogStateQuery { get; }

    /// <summary>The semi-sync settings and state from the FullStatus variables and status values.</summary>
    SemiSyncState ParseSemiSync(IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> status);

    /// <summary>
    /// The query listing which semi-sync plugins are loaded (one column PLUGIN_NAME), or null when semi-sync is
    /// built in (MariaDB 10.3+).
    /// </summary>
    string? SemiSyncPluginQuery { get; }

    /// <summary>INSTALL PLUGIN statements for the semi-sync plugins missing from <paramref name="loadedPlugins"/>.</summary>
    IReadOnlyList<string> InstallSemiSyncPlugins(IReadOnlyCollection<string> loadedPlugins);

    /// <summary>
    /// Enables or disables the primary and replica sides of semi-sync. A replica-side change reaches the source
    /// only when the IO thread reconnects: restart it when replication is running.
    /// </summary>
    IReadOnlyList<string> SetSemiSync(bool primary, bool replica);

    /// <summary>
    /// read_only on/off. With <paramref name="superReadOnly"/> MySQL also blocks SUPER users; MariaDB has no
    /// super_read_only and ignores it. Turning read_only off turns super_read_only off first.
    /// </summary>
    IReadOnlyList<string> SetReadOnly(bool readOnly, bool superReadOnly);

    /// <summary>
    /// The query that waits until this server has applied <paramref name="position"/> (GTID or FilePos source
    /// coordinates), with its result interpretation. Throws <see cref="ArgumentException"/> for an empty position or
    /// one of another GTID flavor. Check <see cref="CurrentPositionQuery"/> first and skip the wait when the server
    /// already has the position: MariaDB's MASTER_GTID_WAIT only sees replicated transactions (gtid_slave_pos), so
    /// on a server that wrote them itself it would wait until the timeout; FilePos waits need a running SQL thread.
    /// </summary>
    PositionWait WaitForPosition(ReplicationPosition position, TimeSpan timeout);

    /// <summary>The read_only / super_read_only query (one row, columns read_only and super_read_only when supported).</summary>
    string ReadOnlyQuery { get; }
}
