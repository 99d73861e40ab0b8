using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;
using Xunit;

namespace Vtorc.Testing;

/// <summary>
/// One real etcd shared by the tests of a collection (each test project declares its own collection over this
/// fixture). Tests isolate themselves under their own root or <see cref="NewPrefix"/>; tests that stop or kill etcd
/// start their own <see cref="EtcdProcess"/> instead.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdProcess? _etcd;
    private EtcdClient? _client;

    public EtcdProcess Etcd => _etcd ?? throw new InvalidOperationException("etcd fixture not initialised");

    public string Endpoint => Etcd.Endpoint;

    /// <summary>A raw client shared by the collection, for looking at what the code under test wrote.</summary>
    public EtcdClient Client => _client ?? throw new InvalidOperationException("etcd fixture not initialised");

    /// <summary>A client of the test's own (dispose it).</summary>
    public EtcdClient CreateClient() => Etcd.CreateClient();

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
