using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>What the analysis needs from a shard record (go/vt/vtorc/logic/keyspace_shard_discovery.go).</summary>
/// <param name="PrimaryAlias">The shard's primary alias text, empty when none.</param>
/// <param name="PrimaryTermStartTime">Zero (<c>default</c>) when the shard never had a primary.</param>
public sealed record ShardRecord(string Keyspace, string Shard, string PrimaryAlias, DateTimeOffset PrimaryTermStartTime,
    bool EmergencyReparentDisabled)
{
    public static ShardRecord FromTopo(string keyspace, string shard, Topodata.Shard record)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyspace);
        ArgumentException.ThrowIfNullOrEmpty(shard);
        ArgumentNullException.ThrowIfNull(record);
        return new ShardRecord(keyspace, shard, record.PrimaryAlias?.ToText() ?? "",
            VtTime.ToDateTimeOffsetOrZero(record.PrimaryTermStartTime), record.VtorcState?.DisableEmergencyReparent ?? false);
    }
}
