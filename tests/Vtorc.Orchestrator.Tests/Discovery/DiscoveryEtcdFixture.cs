using Vtorc.LocalCluster;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>One real etcd for the discovery tests; every test works under its own root.</summary>
public sealed class DiscoveryEtcdFixture : IAsyncLifetime
{
    public EtcdProcess Etcd { get; private set; } = null!;

    public async Task InitializeAsync() => Etcd = await EtcdProcess.StartAsync();

    public async Task DisposeAsync() => await Etcd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DiscoveryEtcdCollection : ICollectionFixture<DiscoveryEtcdFixture>
{
    public const string Name = "discovery-etcd";
}
