using Google.Protobuf;
using Topodata;

namespace Vtorc.Topo;

/// <summary>
/// Topologies in memory for unit tests (as Vitess's memorytopo.Factory): one <see cref="InMemoryTopoStore"/> per server
/// address, each behaving like an etcd server (docs/architecture.md, "The topology behind an interface"), with lease
/// expiry and lock timeouts on <see cref="TimeProvider"/> — a FakeTimeProvider lets a test move time instead of
/// sleeping. Several <see cref="TopoServer"/>s opened from one factory share its stores, as several processes share
/// one etcd.
/// </summary>
internal sealed class InMemoryTopoFactory
{
    /// <summary>The server address <see cref="OpenServer"/> gives the global topo and every cell it creates.</summary>
    public const string DefaultServerAddress = "memory";

    private readonly Dictionary<string, InMemoryTopoStore> _stores = new(StringComparer.Ordinal);

    public InMemoryTopoFactory(TimeProvider? timeProvider = null) => TimeProvider = timeProvider ?? TimeProvider.System;

    public TimeProvider TimeProvider { get; }

    /// <summary>The store behind <paramref name="serverAddress"/>, created empty on first use.</summary>
    public InMemoryTopoStore Store(string serverAddress = DefaultServerAddress)
    {
        lock (_stores)
        {
            if (!_stores.TryGetValue(serverAddress, out var store))
            {
                store = new InMemoryTopoStore(serverAddress, TimeProvider);
                _stores[serverAddress] = store;
            }

            return store;
        }
    }

    /// <summary>
    /// A TopoServer on this factory's stores: the global topo at <paramref name="options"/>' first global address and
    /// root (default <see cref="DefaultServerAddress"/>, <c>/vitess/global</c>), and a CellInfo for each of
    /// <paramref name="cells"/> that has none yet (server <see cref="DefaultServerAddress"/>, root <c>/vitess/{cell}</c>).
    /// </summary>
    public TopoServer OpenServer(IEnumerable<string> cells, TopoServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        options ??= new TopoServerOptions { GlobalServerAddresses = [DefaultServerAddress] };
        options.Validate();
        var global = Open(TopoServer.GlobalCell, options.GlobalServerAddresses[0], options.GlobalRoot);
        var store = Store(options.GlobalServerAddresses[0]);
        foreach (var cell in cells)
        {
            var key = TopoKeys.File(options.GlobalRoot, TopoPaths.CellInfo(cell));
            if (store.Get(key) is null)
            {
                store.Put(key, new CellInfo { ServerAddress = DefaultServerAddress, Root = "/vitess/" + cell }.ToByteString());
            }
        }

        return new TopoServer(options, global, Open, TimeProvider);
    }

    private ITopoConnection Open(string cell, string serverAddress, string root) =>
        new InMemoryTopoConnection(Store(serverAddress), cell, root, TimeProvider);
}
