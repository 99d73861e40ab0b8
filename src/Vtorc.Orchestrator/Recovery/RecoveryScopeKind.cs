namespace Vtorc.Orchestrator.Recovery;

/// <summary>How much of the fleet a recovery switch covers.</summary>
public enum RecoveryScopeKind
{
    Global,
    Keyspace,
    Shard,
}
