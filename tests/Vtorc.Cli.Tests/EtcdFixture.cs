using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>One real etcd for the ctl tests; each test works under its own root.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdProcess? _etcd;

    public string Endpoint => (_etcd ?? throw new InvalidOperationException("etcd fixture not initialised")).Endpoint;

    public async Task InitializeAsync() => _etcd = await EtcdProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
