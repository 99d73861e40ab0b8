namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The tables of the history store. Names and columns follow VTOrc's backend (go/vt/vtorc/db/generate_base.go) so that
/// <c>/api/database-state</c> reads like Vitess's; <c>recovery_acknowledgement</c> (anti-flapping) and
/// <c>recovery_disable_scope</c> (recoveries disabled per keyspace or shard, and who disabled them),
/// <c>operator_reparent</c> and <c>operator_reparent_steps</c> (reparents an operator started from the page) are ours.
/// Unlike VTOrc nothing is dropped at open: a file-backed store keeps its history across restarts.
/// </summary>
internal static class StoreSchema
{
    /// <summary>
    /// Bumped whenever a table changes shape; a file written by a newer version is refused (an older vtorc would not
    /// honour what the newer one recorded, e.g. a per-shard disable). Version 2 added <c>recovery_disable_scope</c>,
    /// version 3 <c>operator_reparent</c> and <c>operator_reparent_steps</c>.
    /// </summary>
    public const int Version = 3;

    /// <summary>Every operator-visible table, in the order <c>/api/database-state</c> lists them.</summary>
    public static IReadOnlyList<string> TableOrder { get; } =
    [
        "recovery_detection",
        "topology_recovery",
        "topology_recovery_steps",
        "audit",
        "database_instance_last_analysis",
        "database_instance_analysis_changelog",
        "global_recovery_disable",
        "recovery_acknowledgement",
        "recovery_disable_scope",
        "operator_reparent",
        "operator_reparent_steps",
    ];

    // AUTOINCREMENT keeps ids increasing even after retention deleted the newest rows.
    public static IReadOnlyList<string> CreateStatements { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS recovery_detection (
            detection_id INTEGER PRIMARY KEY AUTOINCREMENT,
            alias TEXT NOT NULL,
            analysis TEXT NOT NULL,
            keyspace TEXT NOT NULL,
            shard TEXT NOT NULL,
            detection_timestamp TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS recovery_detection_timestamp_idx ON recovery_detection (detection_timestamp)",
        """
        CREATE TABLE IF NOT EXISTS topology_recovery (
            recovery_id INTEGER PRIMARY KEY AUTOINCREMENT,
            alias TEXT NOT NULL,
            start_recovery TEXT NOT NULL,
            end_recovery TEXT NULL,
            successor_alias TEXT NULL,
            analysis TEXT NOT NULL,
            keyspace TEXT NOT NULL,
            shard TEXT NOT NULL,
            is_successful INTEGER NOT NULL DEFAULT 0,
            all_errors TEXT NOT NULL DEFAULT '',
            detection_id INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX IF NOT EXISTS topology_recovery_shard_idx ON topology_recovery (keyspace, shard, end_recovery)",
        "CREATE INDEX IF NOT EXISTS topology_recovery_start_idx ON topology_recovery (start_recovery)",
        """
        CREATE TABLE IF NOT EXISTS topology_recovery_steps (
            recovery_step_id INTEGER PRIMARY KEY AUTOINCREMENT,
            recovery_id INTEGER NOT NULL,
            audit_at TEXT NOT NULL,
            message TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS topology_recovery_steps_recovery_idx ON topology_recovery_steps (recovery_id)",
        """
        CREATE TABLE IF NOT EXISTS audit (
            audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
            audit_timestamp TEXT NOT NULL,
            audit_type TEXT NOT NULL,
            alias TEXT NOT NULL,
            message TEXT NOT NULL,
            keyspace TEXT NOT NULL,
            shard TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS audit_timestamp_idx ON audit (audit_timestamp)",
        """
        CREATE TABLE IF NOT EXISTS database_instance_last_analysis (
            alias TEXT NOT NULL PRIMARY KEY,
            analysis_timestamp TEXT NOT NULL,
            analysis TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS database_instance_analysis_changelog (
            changelog_id INTEGER PRIMARY KEY AUTOINCREMENT,
            alias TEXT NOT NULL,
            analysis_timestamp TEXT NOT NULL,
            analysis TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS analysis_changelog_timestamp_idx ON database_instance_analysis_changelog (analysis_timestamp)",
        """
        CREATE TABLE IF NOT EXISTS global_recovery_disable (
            disable_recovery INTEGER NOT NULL PRIMARY KEY
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS recovery_acknowledgement (
            recovery_id INTEGER NOT NULL PRIMARY KEY,
            acknowledged_by TEXT NOT NULL,
            comment TEXT NOT NULL,
            acknowledged_at TEXT NOT NULL
        )
        """,
        // keyspace '' is the global switch (whose on/off state stays in global_recovery_disable, as in VTOrc; this row
        // only says who and why), shard '' a whole keyspace.
        """
        CREATE TABLE IF NOT EXISTS recovery_disable_scope (
            keyspace TEXT NOT NULL,
            shard TEXT NOT NULL,
            disabled_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            disabled_at TEXT NOT NULL,
            PRIMARY KEY (keyspace, shard)
        )
        """,
        // Kept apart from topology_recovery on purpose: VTOrc records no operator's reparent there, the anti-flapping
        // block must not count one, and /api/recoveries must not list one. kind is "planned" or "emergency";
        // requested_primary '' lets ERS choose; end_reparent NULL while it runs.
        """
        CREATE TABLE IF NOT EXISTS operator_reparent (
            reparent_id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            keyspace TEXT NOT NULL,
            shard TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            requested_primary TEXT NOT NULL,
            start_reparent TEXT NOT NULL,
            end_reparent TEXT NULL,
            is_successful INTEGER NOT NULL DEFAULT 0,
            new_primary TEXT NOT NULL DEFAULT '',
            previous_primary TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX IF NOT EXISTS operator_reparent_shard_idx ON operator_reparent (keyspace, shard)",
        "CREATE INDEX IF NOT EXISTS operator_reparent_start_idx ON operator_reparent (start_reparent)",
        """
        CREATE TABLE IF NOT EXISTS operator_reparent_steps (
            reparent_step_id INTEGER PRIMARY KEY AUTOINCREMENT,
            reparent_id INTEGER NOT NULL,
            audit_at TEXT NOT NULL,
            message TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS operator_reparent_steps_reparent_idx ON operator_reparent_steps (reparent_id)",
    ];
}
