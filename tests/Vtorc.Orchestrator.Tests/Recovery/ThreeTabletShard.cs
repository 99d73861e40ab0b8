using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>The shard most pipeline tests start from: primary 100, replicas 101 and 102.</summary>
internal static class ThreeTabletShard
{
    public static readonly string P = ShardScenario.AliasOf(100);
    public static readonly string R1 = ShardScenario.AliasOf(101);
    public static readonly string R2 = ShardScenario.AliasOf(102);

    public static ShardScenario Healthy()
    {
        var s = new ShardScenario();
        s.Primary();
        s.Replica(101);
        s.Replica(102);
        return s;
    }

    /// <summary>The primary unreachable and both replicas no longer replicating: DeadPrimary.</summary>
    public static ShardScenario DeadPrimary() => Healthy().Unreachable(P).StopReplication(R1).StopReplication(R2);
}
