using Topodata;

namespace Vtorc.Topo;

/// <summary>
/// The Vitess topology: the global connection, per-cell connections opened lazily from the cells' CellInfo records,
/// the record stores and lists, and the shard/keyspace locks. It works on <see cref="ITopoConnection"/>s: etcd ones
/// (<see cref="Open(TopoServerOptions)"/>) or in-memory ones for unit tests (<see cref="OpenInMemory(string[])"/>).
/// </summary>
public sealed class TopoServer : IAsyncDisposable
{
    /// <summary>The cell name Vitess uses for the global topo.</summary>
    public const string GlobalCell = "global";

    private readonly object _gate = new();
    private readonly Dictionary<string, ITopoConnection> _cells = new(StringComparer.Ordinal);
    private readonly List<ITopoConnection> _retired = [];
    private readonly Func<string, string, string, ITopoConnection> _openCell;
    private bool _disposed;

    /// <param name="openCell">Opens the connection of a cell from its name, server address and root.</param>
    /// <param name="timeProvider">The clock of lock timeouts and lock descriptors.</param>
    internal TopoServer(TopoServerOptions options, ITopoConnection global, Func<string, string, string, ITopoConnection> openCell,
        TimeProvider timeProvider)
    {
        Options = options;
        Global = global;
        _openCell = openCell;
        TimeProvider = timeProvider;
        CellInfos = new TopoRecords<string, CellInfo>(nameof(CellInfo), (cell, _) =>
            Task.FromResult((Global, TopoPaths.CellInfo(CheckCell(cell)))));
        Keyspaces = new TopoRecords<string, Keyspace>(nameof(Keyspace), (keyspace, _) =>
            Task.FromResult((Global, TopoPaths.Keyspace(CheckKeyspace(keyspace)))));
        Shards = new TopoRecords<(string Keyspace, string Shard), Shard>(nameof(Shard), (key, _) =>
            Task.FromResult((Global, TopoPaths.Shard(CheckKeyspace(key.Keyspace), CheckShard(key.Shard)))));
        Tablets = new TopoRecords<TabletAlias, Tablet>(nameof(Tablet), async (alias, ct) =>
            (await ConnForCellAsync(alias.Cell, ct).ConfigureAwait(false), TopoPaths.Tablet(alias.ToText())));
        ShardReplications = new TopoRecords<(string Cell, string Keyspace, string Shard), ShardReplication>(nameof(ShardReplication), async (key, ct) =>
            (await ConnForCellAsync(key.Cell, ct).ConfigureAwait(false), TopoPaths.ShardReplication(CheckKeyspace(key.Keyspace), CheckShard(key.Shard))));
        Locks = new TopoLocks(this);
    }

    /// <summary>Connects to the global topo. Cells are connected on first use.</summary>
    public static TopoServer Open(TopoServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var global = EtcdTopoConnection.Open(GlobalCell, string.Join(',', options.GlobalServerAddresses), options.GlobalRoot, options);
        return new TopoServer(options, global, (cell, address, root) => EtcdTopoConnection.Open(cell, address, root, options), TimeProvider.System);
    }

    /// <summary>
    /// A topology in memory for unit tests, with the given cells (see <see cref="InMemoryTopoFactory"/>, which also
    /// gives the test hooks and a clock of one's own).
    /// </summary>
    public static TopoServer OpenInMemory(params string[] cells) => new InMemoryTopoFactory().OpenServer(cells);

    /// <summary>Convenience for flags: comma-separated global addresses and the global root.</summary>
    public static TopoServer Open(string globalServerAddress, string globalRoot) =>
        Open(new TopoServerOptions { GlobalServerAddresses = TopoServerOptions.SplitAddresses(globalServerAddress), GlobalRoot = globalRoot });

    public TopoServerOptions Options { get; }

    /// <summary>The clock of lock timeouts and lock descriptors (the system clock, or an in-memory topology's).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The global topo (cells, keyspaces, shards, locks).</summary>
    public ITopoConnection Global { get; }

    /// <summary><c>cells/{cell}/CellInfo</c> in the global topo, by cell name.</summary>
    public TopoRecords<string, CellInfo> CellInfos { get; }

    /// <summary><c>keyspaces/{ks}/Keyspace</c> in the global topo, by keyspace name.</summary>
    public TopoRecords<string, Keyspace> Keyspaces { get; }

    /// <summary><c>keyspaces/{ks}/shards/{shard}/Shard</c> in the global topo.</summary>
    public TopoRecords<(string Keyspace, string Shard), Shard> Shards { get; }

    /// <summary><c>tablets/{alias}/Tablet</c> in the topo of the alias's cell.</summary>
    public TopoRecords<TabletAlias, Tablet> Tablets { get; }

    /// <summary><c>keyspaces/{ks}/shards/{shard}/ShardReplication</c> in the given cell's topo.</summary>
    public TopoRecords<(string Cell, string Keyspace, string Shard), ShardReplication> ShardReplications { get; }

    /// <summary>Shard, keyspace and named locks (docs/wire-format.md, "Topology locks").</summary>
    public TopoLocks Locks { get; }

    /// <summary>
    /// The connection of a cell ("global" gives <see cref="Global"/>). Reads the cell's CellInfo from the global
    /// topo every time, and re-connects when its server_address or root changed since the cached connection.
    /// <see cref="TopoErrorKind.NoNode"/> when the cell does not exist.
    /// </summary>
    public async Task<ITopoConnection> ConnForCellAsync(string cell, CancellationToken cancellationToken)
    {
        if (cell == GlobalCell)
        {
            return Global;
        }

        var info = (await CellInfos.GetAsync(cell, cancellationToken).ConfigureAwait(false)).Value;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_cells.TryGetValue(cell, out var cached))
            {
                if (cached.ServerAddress == info.ServerAddress && cached.Root == info.Root)
                {
                    return cached;
                }

                // In-flight calls may still use the old connection; it is closed with the server.
                _retired.Add(cached);
            }

            if (string.IsNullOrWhiteSpace(info.ServerAddress))
            {
                throw new TopoException(TopoErrorKind.Corrupt, Global.KeyOf(TopoPaths.CellInfo(cell)),
                    $"cell \"{cell}\" has no server_address in its CellInfo at {Global.KeyOf(TopoPaths.CellInfo(cell))}");
            }

            var connection = _openCell(cell, info.ServerAddress, info.Root);
            _cells[cell] = connection;
            return connection;
        }
    }

    // ---- lists ----

    /// <summary>Names of the cells in the global topo (empty when there are none).</summary>
    public async Task<IReadOnlyList<string>> GetCellNamesAsync(CancellationToken cancellationToken) =>
        Names(await Global.ListDirOrEmptyAsync(TopoPaths.CellsDir, cancellationToken).ConfigureAwait(false));

    /// <summary>Names of the keyspaces (empty when there are none).</summary>
    public async Task<IReadOnlyList<string>> GetKeyspaceNamesAsync(CancellationToken cancellationToken) =>
        Names(await Global.ListDirOrEmptyAsync(TopoPaths.KeyspacesDir, cancellationToken).ConfigureAwait(false));

    /// <summary>Names of the shards of a keyspace (empty when there are none).</summary>
    public async Task<IReadOnlyList<string>> GetShardNamesAsync(string keyspace, CancellationToken cancellationToken) =>
        Names(await Global.ListDirOrEmptyAsync(TopoPaths.ShardsDir(CheckKeyspace(keyspace)), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Every shard record of a keyspace by shard name, from one prefix scan (falling back to one read per shard
    /// when etcd says the answer is too big).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, TopoRecord<Shard>>> GetShardsAsync(string keyspace, CancellationToken cancellationToken)
    {
        CheckKeyspace(keyspace);
        var result = new SortedDictionary<string, TopoRecord<Shard>>(StringComparer.Ordinal);
        IReadOnlyList<TopoFile> files;
        try
        {
            files = await Global.ListAsync(TopoPaths.ShardsDir(keyspace) + "/", cancellationToken).ConfigureAwait(false);
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.ResourceExhausted)
        {
            foreach (var name in await GetShardNamesAsync(keyspace, cancellationToken).ConfigureAwait(false))
            {
                if (await Shards.TryGetAsync((keyspace, name), cancellationToken).ConfigureAwait(false) is { } record)
                {
                    result[name] = record;
                }
            }

            return result;
        }

        foreach (var file in files)
        {
            // …/shards/{shard}/Shard; lock entries and anything else under the shard are skipped.
            if (!file.Key.EndsWith("/" + TopoPaths.ShardFile, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = file.Key.Split('/');
            var name = parts[^2];
            result[name] = Shards.Decode(file);
        }

        return result;
    }

    /// <summary>
    /// Every Tablet record of a cell, sorted by alias, from one prefix scan of <c>{root}/tablets/</c> (falling back to
    /// one read per tablet when etcd says the answer is too big). A corrupt record fails the list, naming its key.
    /// </summary>
    public Task<IReadOnlyList<TopoRecord<Tablet>>> GetTabletsByCellAsync(string cell, CancellationToken cancellationToken) =>
        GetTabletsByCellAsync(cell, onCorrupt: null, cancellationToken);

    /// <summary>
    /// As <see cref="GetTabletsByCellAsync(string, CancellationToken)"/>, but a record that cannot be decoded is left out
    /// and reported to <paramref name="onCorrupt"/> (with the tablet's alias and the error naming the key) instead of
    /// failing the whole cell; null keeps the failing behaviour.
    /// </summary>
    public async Task<IReadOnlyList<TopoRecord<Tablet>>> GetTabletsByCellAsync(string cell, Action<string, TopoException>? onCorrupt,
        CancellationToken cancellationToken)
    {
        TopoRecord<Tablet>? Decode(TopoFile file)
        {
            try
            {
                return Tablets.Decode(file);
            }
            catch (TopoException e) when (e.Kind == TopoErrorKind.Corrupt && onCorrupt is not null)
            {
                // The key is {root}/tablets/{alias}/Tablet: the alias is the directory name.
                var directory = file.Key[..file.Key.LastIndexOf('/')];
                onCorrupt(directory[(directory.LastIndexOf('/') + 1)..], e);
                return null;
            }
        }

        var connection = await ConnForCellAsync(cell, cancellationToken).ConfigureAwait(false);
        var result = new List<TopoRecord<Tablet>>();
        try
        {
            var files = await connection.ListAsync(TopoPaths.TabletsDir + "/", cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                if (file.Key.EndsWith("/" + TopoPaths.TabletFile, StringComparison.Ordinal) && Decode(file) is { } record)
                {
                    result.Add(record);
                }
            }
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.ResourceExhausted)
        {
            result.Clear();
            var entries = await connection.ListDirOrEmptyAsync(TopoPaths.TabletsDir, cancellationToken).ConfigureAwait(false);
            var reads = entries.Select(async entry =>
            {
                var file = await connection.TryGetAsync(TopoPaths.Tablet(entry.Name), cancellationToken).ConfigureAwait(false);
                return file is null ? null : Decode(file);
            });
            result.AddRange((await Task.WhenAll(reads).ConfigureAwait(false)).OfType<TopoRecord<Tablet>>());
        }

        result.Sort((a, b) => TabletAliasComparer.Instance.Compare(a.Value.Alias, b.Value.Alias));
        return result;
    }

    /// <summary>
    /// The aliases of a shard's tablets: the shard's primary plus the ShardReplication nodes of every cell
    /// (a cell without the record contributes none), de-duplicated and sorted.
    /// </summary>
    public async Task<IReadOnlyList<TabletAlias>> GetTabletAliasesByShardAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        var shardRecord = await Shards.GetAsync((keyspace, shard), cancellationToken).ConfigureAwait(false);
        var cells = await GetCellNamesAsync(cancellationToken).ConfigureAwait(false);
        var perCell = await Task.WhenAll(cells.Select(cell =>
            ShardReplications.TryGetAsync((cell, keyspace, shard), cancellationToken))).ConfigureAwait(false);

        var aliases = new SortedDictionary<TabletAlias, TabletAlias>(TabletAliasComparer.Instance);
        if (shardRecord.Value.PrimaryAlias is { } primary)
        {
            aliases[primary] = primary;
        }

        foreach (var replication in perCell)
        {
            foreach (var node in replication?.Value.Nodes ?? [])
            {
                if (node.TabletAlias is { } alias)
                {
                    aliases[alias] = alias;
                }
            }
        }

        return [.. aliases.Keys];
    }

    /// <summary>
    /// The Tablet records of a shard (see <see cref="GetTabletAliasesByShardAsync"/>), each read from its own cell;
    /// aliases whose Tablet record does not exist are skipped.
    /// </summary>
    public async Task<IReadOnlyList<TopoRecord<Tablet>>> GetTabletsByShardAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        var aliases = await GetTabletAliasesByShardAsync(keyspace, shard, cancellationToken).ConfigureAwait(false);
        // One CellInfo lookup per cell rather than per tablet.
        var reads = aliases.GroupBy(a => a.Cell, StringComparer.Ordinal).Select(async group =>
        {
            var connection = await ConnForCellAsync(group.Key, cancellationToken).ConfigureAwait(false);
            var files = await Task.WhenAll(group.Select(alias =>
                connection.TryGetAsync(TopoPaths.Tablet(alias.ToText()), cancellationToken))).ConfigureAwait(false);
            return files.OfType<TopoFile>().Select(Tablets.Decode);
        });
        var perCell = await Task.WhenAll(reads).ConfigureAwait(false);
        var tablets = perCell.SelectMany(t => t).ToList();
        tablets.Sort((a, b) => TabletAliasComparer.Instance.Compare(a.Value.Alias, b.Value.Alias));
        return tablets;
    }

    public async ValueTask DisposeAsync()
    {
        List<ITopoConnection> connections;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connections = [.. _cells.Values, .. _retired];
            _cells.Clear();
            _retired.Clear();
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        await Global.DisposeAsync().ConfigureAwait(false);
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<DirEntry> entries) => [.. entries.Select(e => e.Name)];

    private static string CheckKeyspace(string keyspace)
    {
        TopoNames.ValidateKeyspace(keyspace);
        return keyspace;
    }

    private static string CheckShard(string shard)
    {
        _ = ShardName.Parse(shard);
        return shard;
    }

    /// <summary>Cell names become key components; refuse those that would address another key.</summary>
    private static string CheckCell(string cell)
    {
        if (string.IsNullOrEmpty(cell) || cell.Contains('/') || cell is "." or "..")
        {
            throw new ArgumentException($"invalid cell name \"{cell}\": it must be non-empty and contain no '/'", nameof(cell));
        }

        return cell;
    }
}
