using System.Globalization;
using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.LocalCluster.Network;
using Vtorc.Topo;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// A real shard for fault injection: etcd and the orchestrator daemons (<see cref="ChaosDaemonSettings"/>) on the host, three MariaDB servers each with
/// its <c>vtorc tablet</c> agent in a network namespace of its own, all namespaces on one bridge. Addresses are in
/// 198.18.0.0/24 (RFC 2544's benchmarking range) only: the host is .1, tablet i is .(10+i). Every name starts with
/// <see cref="ChaosNames"/>' prefix and this process's pid, so a later run finds and removes leftovers.
/// Disposing kills every process, deletes the namespaces (their nft rules go with them), the bridge and the directory.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    public const string Keyspace = "chaos";
    public const string Shard = "0";
    public const string Cell = "zone1";
    private const string HostAddress = "198.18.0.1";
    private static readonly TimeSpan TopoTimeout = TimeSpan.FromSeconds(10);

    private readonly ChaosNames _names;
    private readonly ChaosDaemonSettings _daemons;
    private readonly List<NetworkNamespace> _namespaces = [];
    private NamespaceBridge? _bridge;

    private ChaosCluster(ChaosNames names, LocalClusterState state, ChaosDaemonSettings daemons)
    {
        _names = names;
        _daemons = daemons;
        State = state;
        Launcher = new LocalProcessLauncher(state);
    }

    public LocalClusterState State { get; }

    public LocalProcessLauncher Launcher { get; }

    public List<ChaosServer> Servers { get; } = [];

    /// <summary>The orchestrators' process names ("vtorc-1", "vtorc-2") and HTTP ports.</summary>
    public Dictionary<string, int> Orchestrators { get; } = [];

    public string BridgeHostAddress => HostAddress;

    public static async Task<ChaosCluster> StartAsync(ChaosNames names, string durability, int tablets, Action<string> progress,
        CancellationToken cancellationToken, ChaosDaemonSettings? daemons = null)
    {
        var state = new LocalClusterState
        {
            Directory = names.WorkDirectory,
            Keyspace = Keyspace,
            Shards = [Shard],
            Cells = [Cell],
            DurabilityPolicy = durability,
            MySqlUser = "vt",
            MySqlPassword = "vt_pass",
        };
        Directory.CreateDirectory(state.Directory);
        var cluster = new ChaosCluster(names, state, daemons ?? ChaosDaemonSettings.Chaos);
        try
        {
            await cluster.StartNetworkAsync(tablets, cancellationToken).ConfigureAwait(false);
            await cluster.StartProcessesAsync(progress, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartNetworkAsync(int tablets, CancellationToken cancellationToken)
    {
        // The kernel frees a deleted namespace (and its veth pair) asynchronously: a previous run's interface of the
        // same name may still be there.
        foreach (var name in Enumerable.Range(1, tablets).Select(_names.VethHostEnd).Append(_names.Bridge))
        {
            await NamespaceBridge.DeleteInterfaceAsync(name, cancellationToken).ConfigureAwait(false);
        }
        _bridge = await NamespaceBridge.CreateAsync(_names.Bridge, HostAddress, 24, cancellationToken).ConfigureAwait(false);
        var ports = LoopbackPorts.PickFree(tablets);
        for (var i = 1; i <= tablets; i++)
        {
            var address = "198.18.0." + (10 + i).ToString(CultureInfo.InvariantCulture);
            var ns = await NetworkNamespace.CreateAsync(_names.Namespace(i), address, cancellationToken).ConfigureAwait(false);
            _namespaces.Add(ns);
            await _bridge.AttachAsync(ns, _names.VethHostEnd(i), cancellationToken).ConfigureAwait(false);
            var uid = (uint)(100 + i);
            var tablet = new LocalTabletRecord
            {
                Alias = TabletAliasText.Format(Cell, uid),
                Cell = Cell,
                Uid = uid,
                Shard = Shard,
                MySqlPort = ports[i - 1],
                MySqlDirectory = Launcher.MySqlDirectory(uid),
                NetworkNamespace = ns.Name,
                Address = address,
            };
            State.Tablets.Add(tablet);
            Servers.Add(new ChaosServer(tablet, ns));
        }
        State.Save();
    }

    private async Task StartProcessesAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var executable = VtorcExecutable.Locate();
        var etcd = await Launcher.StartEtcdAsync(cancellationToken, HostAddress).ConfigureAwait(false);
        progress($"etcd {State.EtcdEndpoint} pid {etcd.Pid}");
        await CreateTopologyAsync(cancellationToken).ConfigureAwait(false);
        // read_only=ON in the server's configuration, as README tells operators: only the orchestrator makes a primary writable.
        await Task.WhenAll(State.Tablets.Select(t => Launcher.StartMySqldAsync(t, ["--read-only=ON"], cancellationToken))).ConfigureAwait(false);
        progress($"mysqld {string.Join(", ", Servers.Select(s => $"{s.Alias}@{s.Namespace.Name}/{s.Tablet.Address}"))}");
        foreach (var tablet in State.Tablets)
        {
            // One after the other: the first agent creates the shard record.
            await Launcher.StartAgentAsync(tablet, executable, cancellationToken).ConfigureAwait(false);
        }
        progress("agents started");
        for (var i = 1; i <= _daemons.Count; i++)
        {
            var name = "vtorc-" + i.ToString(CultureInfo.InvariantCulture);
            var port = LoopbackPorts.PickFree(1)[0];
            await Launcher.StartDaemonAsync(executable, DaemonArguments(port), port, cancellationToken, name).ConfigureAwait(false);
            Orchestrators[name] = port;
        }
        progress($"orchestrators {string.Join(", ", Orchestrators.Select(o => $"{o.Key} http 127.0.0.1:{o.Value}"))}");
    }

    private List<string> DaemonArguments(int httpPort) =>
    [
        "--topo-implementation", "etcd2",
        "--topo-global-server-address", State.EtcdEndpoint,
        "--topo-global-root", State.GlobalRoot,
        "--port", httpPort.ToString(CultureInfo.InvariantCulture),
        "--bind-address", "127.0.0.1",
        "--instance-poll-time", _daemons.InstancePollTime.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s",
        // Consecutive faults of one run must each be repairable: the anti-flapping hold would otherwise block the second failover.
        "--recovery-period-block-duration", "1s",
        "--shutdown-wait-time", "1s",
        .. _daemons.ExtraArguments,
    ];

    private async Task CreateTopologyAsync(CancellationToken cancellationToken)
    {
        await using var topo = OpenTopo();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TopoTimeout);
        await topo.CellInfos.CreateAsync(Cell, new CellInfo { ServerAddress = State.EtcdEndpoint, Root = $"/vitess/{Cell}" }, deadline.Token)
            .ConfigureAwait(false);
        await topo.Keyspaces.CreateAsync(Keyspace, new Keyspace { DurabilityPolicy = State.DurabilityPolicy }, deadline.Token).ConfigureAwait(false);
    }

    public TopoServer OpenTopo() => TopoServer.Open(new TopoServerOptions
    {
        GlobalServerAddresses = [State.EtcdEndpoint],
        GlobalRoot = State.GlobalRoot,
        OperationTimeout = TimeSpan.FromSeconds(3),
        DialTimeout = TimeSpan.FromSeconds(2),
    });

    public LocalProcessRecord Process(string kind, string name) =>
        State.Find(kind, name) ?? throw new InvalidOperationException($"no {kind} {name} was started");

    public LocalProcessRecord MySqld(ChaosServer server) => Process(LocalProcessKinds.MySqld, server.Alias);

    public LocalProcessRecord Agent(ChaosServer server) => Process(LocalProcessKinds.Agent, server.Alias);

    public LocalProcessRecord Etcd => Process(LocalProcessKinds.Etcd, "etcd");

    /// <summary>Starts <paramref name="record"/> again unless it runs (same command line, ports, namespace).</summary>
    public async Task EnsureRunningAsync(LocalProcessRecord record, CancellationToken cancellationToken)
    {
        var current = State.Find(record.Kind, record.Name) ?? record;
        if (!current.IsAlive)
        {
            await Launcher.RestartAsync(current, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The server the shard record names primary, or null (no record, etcd down).</summary>
    public async Task<ChaosServer?> TopoPrimaryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var topo = OpenTopo();
            var alias = (await topo.Shards.GetAsync((Keyspace, Shard), cancellationToken).ConfigureAwait(false)).Value.PrimaryAlias?.ToText();
            return Servers.FirstOrDefault(s => s.Alias == alias);
        }
        catch (Exception e) when (e is TopoException or Protocol.Etcd.EtcdException or OperationCanceledException or IOException
                                      && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// The primary when the shard is healthy, read from the topology and MySQL (never from an orchestrator): the shard
    /// record names it, it is writable and replicates from nobody, and every other server is read-only and replicates
    /// from its address with both threads running. Null otherwise. Under durability <c>none</c> a server that diverged
    /// from the primary may instead be quarantined: read-only and not replicating (docs/reliability.md, its
    /// opening section on durability `none`: it holds the only copy of what the failover lost, so nothing rebuilds it).
    /// </summary>
    public async Task<ChaosServer?> HealthyPrimaryAsync(CancellationToken cancellationToken)
    {
        if (await TopoPrimaryAsync(cancellationToken).ConfigureAwait(false) is not { } primary
            || await ServerState.ReadAsync(primary, cancellationToken).ConfigureAwait(false) is not { ReadOnly: false, Replica: null } primaryState)
        {
            return null;
        }
        foreach (var server in Servers.Where(s => s != primary))
        {
            var state = await ServerState.ReadAsync(server, cancellationToken).ConfigureAwait(false);
            var replicating = state is { ReadOnly: true, Replica: { } r } && r.SourceHost == primary.Tablet.Address && r.IoRunning && r.SqlRunning;
            if (!replicating && !(State.DurabilityPolicy == "none" && state is not null && IsQuarantined(state, primaryState)))
            {
                return null;
            }
        }
        return primary;
    }

    /// <summary>Read-only, not replicating, and holding transactions the primary lacks (or stopped by a divergence error).</summary>
    public static bool IsQuarantined(ServerState server, ServerState primary) =>
        server.ReadOnly && server.Replica is not { IoRunning: true, SqlRunning: true }
        && (server.Replica is { Diverged: true } || GtidBinlogState.Extra(server.GtidBinlogState, primary.GtidBinlogState).Count > 0);

    /// <summary>Polls <see cref="HealthyPrimaryAsync"/> until it answers or <paramref name="bound"/> passes.</summary>
    public async Task<ChaosServer?> WaitHealthyAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            // The harness supervises mysqld as systemd would: an agent kills it on purpose to drop commits that were
            // never acknowledged (docs/reliability.md, "Unacknowledged commits of an old primary").
            foreach (var record in State.OfKind(LocalProcessKinds.MySqld).ToList())
            {
                try
                {
                    await EnsureRunningAsync(record, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    // Not ready in time: tried again on the next round, and the bound still applies.
                    Console.Error.WriteLine($"  mysqld {record.Name} did not start again: {e.Message}");
                }
            }
            if (await HealthyPrimaryAsync(cancellationToken).ConfigureAwait(false) is { } primary)
            {
                return primary;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The checker's schema and its unprivileged account, created once on the elected primary (as root over the socket)
    /// and replicated, so every server has them with the same GTIDs.
    /// </summary>
    public static async Task BootstrapAsync(ChaosServer primary, CancellationToken cancellationToken)
    {
        using var connection = await MySqlCalls.OpenAsync(primary.Root(TimeSpan.FromSeconds(10)), cancellationToken).ConfigureAwait(false);
        string[] statements =
        [
            "CREATE DATABASE chaos",
            "CREATE TABLE chaos.ledger (id BIGINT PRIMARY KEY, server VARCHAR(64) NOT NULL)",
            $"CREATE USER '{ChaosServer.AppUser}'@'localhost' IDENTIFIED BY '{ChaosServer.AppPassword}'",
            $"GRANT INSERT, SELECT ON chaos.ledger TO '{ChaosServer.AppUser}'@'localhost'",
        ];
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Chaos has no use for a clean shutdown: SIGKILL everything we recorded, by pid, then the network.
        foreach (var record in State.Processes)
        {
            DetachedProcess.Resume(record.Identity);
            await DetachedProcess.KillAsync(record.Identity, CancellationToken.None).ConfigureAwait(false);
        }
        for (var i = 1; i <= _namespaces.Count; i++)
        {
            // Deleting the host end removes the pair at once; the namespace's own end would go only when the kernel frees it.
            await NamespaceBridge.DeleteInterfaceAsync(_names.VethHostEnd(i), CancellationToken.None).ConfigureAwait(false);
            await NetworkNamespace.DeleteAsync(_namespaces[i - 1].Name, CancellationToken.None).ConfigureAwait(false);
        }
        if (_bridge is not null)
        {
            await NamespaceBridge.DeleteInterfaceAsync(_bridge.Name, CancellationToken.None).ConfigureAwait(false);
        }
        try
        {
            Directory.Delete(State.Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process that is exiting: the leftover sweep of the next run removes it.
        }
    }
}
