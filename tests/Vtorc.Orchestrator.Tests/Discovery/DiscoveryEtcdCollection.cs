namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>The tests of this project that share one real etcd (<see cref="EtcdFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class DiscoveryEtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "discovery-etcd";
}
