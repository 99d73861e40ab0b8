namespace Vtorc.Reparent.Tests.LiveShard;

/// <summary>Live-shard tests run one cluster at a time: each starts etcd and several mysqld on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class LiveShardCollection
{
    public const string Name = "live-shard";
}
