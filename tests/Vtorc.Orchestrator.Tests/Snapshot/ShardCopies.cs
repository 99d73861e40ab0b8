using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Tests.Snapshot;

/// <summary>Copies of a <see cref="ShardScenario"/> snapshot under another keyspace/shard name, for multi-shard inputs.</summary>
internal static class ShardCopies
{
    public static ShardSnapshot Renamed(ShardSnapshot source, string keyspace, string shard, string? durability = null,
        bool keyspaceErsDisabled = false, bool shardErsDisabled = false)
    {
        var tablets = source.Tablets.Select(t =>
        {
            var copy = t.Tablet.Clone();
            copy.Keyspace = keyspace;
            copy.Shard = shard;
            return new TabletRecord(copy);
        }).ToList();
        return ShardSnapshot.Create(
            source.Keyspace with { Name = keyspace, DurabilityPolicy = durability ?? source.Keyspace.DurabilityPolicy, EmergencyReparentDisabled = keyspaceErsDisabled },
            source.Shard with { Keyspace = keyspace, Shard = shard, EmergencyReparentDisabled = shardErsDisabled },
            tablets,
            new Dictionary<string, InstanceObservation>(source.Observations, StringComparer.Ordinal),
            DurabilityPolicyRegistry.CreateDefault());
    }
}
