namespace Vtorc.Orchestrator.Analysis;

/// <summary>An extra switch a recovery needs before it may run (go/vt/vtorc/logic/topology_recovery.go).</summary>
internal enum RecoveryGate
{
    None = 0,

    /// <summary>ERS must be enabled globally, for the keyspace and for the shard; else "EmergencyReparentShardDisabled".</summary>
    EmergencyReparentEnabled,

    /// <summary><c>--change-tablets-with-errant-gtid-to-drained</c> must be on; else "NoRecoveryAction".</summary>
    ChangeTabletsWithErrantGtidToDrained,
}
