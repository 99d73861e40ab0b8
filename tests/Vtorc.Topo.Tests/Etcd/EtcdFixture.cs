using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo.Tests.Etcd;

/// <summary>One real etcd for every test in the "etcd" collection; each test works under its own root.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public EtcdProcess Etcd { get; private set; } = null!;

    public string Endpoint => Etcd.Endpoint;

    public async Task InitializeAsync() => Etcd = await EtcdProcess.StartAsync();

    public async Task DisposeAsync() => await Etcd.DisposeAsync();

    /// <summary>A raw client for looking at what the topo code wrote.</summary>
    public EtcdClient CreateClient() => Etcd.CreateClient();
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
