using Vtorc.LocalCluster;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>One real etcd for the recovery pipeline tests (shard locks); every test works under its own root.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public EtcdProcess Etcd { get; private set; } = null!;

    public string Endpoint => Etcd.Endpoint;

    public async Task InitializeAsync() => Etcd = await EtcdProcess.StartAsync();

    public async Task DisposeAsync() => await Etcd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "recovery-etcd";
}
