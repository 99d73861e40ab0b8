using Topodata;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>What the analysis needs from a keyspace record (go/vt/vtorc/logic/keyspace_shard_discovery.go).</summary>
public sealed record KeyspaceRecord(string Name, KeyspaceType KeyspaceType, string DurabilityPolicy, bool EmergencyReparentDisabled)
{
    public static KeyspaceRecord FromTopo(string name, Keyspace keyspace)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(keyspace);
        return new KeyspaceRecord(name, keyspace.KeyspaceType, keyspace.DurabilityPolicy,
            keyspace.VtorcState?.DisableEmergencyReparent ?? false);
    }
}
