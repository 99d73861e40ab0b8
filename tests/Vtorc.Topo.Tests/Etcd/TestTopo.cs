using Topodata;

namespace Vtorc.Topo.Tests.Etcd;

/// <summary>
/// A TopoServer under a fresh root (<c>/t-{id}/global</c>) with cells zone1 and zone2 (roots <c>/t-{id}/zone1</c>,
/// <c>/t-{id}/zone2</c>) in the same etcd.
/// </summary>
public sealed class TestTopo : IAsyncDisposable
{
    private TestTopo(TopoServer server, string baseRoot)
    {
        Server = server;
        BaseRoot = baseRoot;
    }

    public TopoServer Server { get; }

    public string BaseRoot { get; }

    public string GlobalRoot => BaseRoot + "/global";

    public string CellRoot(string cell) => $"{BaseRoot}/{cell}";

    public static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static async Task<TestTopo> CreateAsync(EtcdFixture etcd, TopoServerOptions? options = null, bool withCells = true)
    {
        var baseRoot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        var server = TopoServer.Open((options ?? new TopoServerOptions { GlobalServerAddresses = [] }) with
        {
            GlobalServerAddresses = [etcd.Endpoint],
            GlobalRoot = baseRoot + "/global",
        });
        var topo = new TestTopo(server, baseRoot);
        if (withCells)
        {
            foreach (var cell in new[] { "zone1", "zone2" })
            {
                await server.CellInfos.CreateAsync(cell, new CellInfo { ServerAddress = etcd.Endpoint, Root = topo.CellRoot(cell) }, Timeout());
            }
        }

        return topo;
    }

    public static Tablet Tablet(string cell, uint uid, string keyspace = "ks", string shard = "0", TabletType type = TabletType.Replica) =>
        TestTablets.Record(cell, uid, keyspace, shard, type);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
