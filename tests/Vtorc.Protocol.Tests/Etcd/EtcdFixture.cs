using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

/// <summary>
/// One real etcd shared by the tests of the "etcd" collection. Tests isolate themselves with
/// <see cref="NewPrefix"/>; tests that stop or kill etcd start their own <see cref="EtcdProcess"/> instead.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdProcess? _etcd;
    private EtcdClient? _client;

    public EtcdProcess Etcd => _etcd ?? throw new InvalidOperationException("etcd fixture not initialised");

    public EtcdClient Client => _client ?? throw new InvalidOperationException("etcd fixture not initialised");

    /// <summary>A key prefix no other test uses, ending in "/".</summary>
    public static string NewPrefix(string testName) => $"/vtorc-test/{testName}/{Guid.NewGuid():N}/";

    public async Task InitializeAsync()
    {
        _etcd = await EtcdProcess.StartAsync();
        _client = _etcd.CreateClient();
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
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
