using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Topo;

namespace Vtorc.Cli.Local;

/// <summary>
/// <c>vtorc local up</c>: starts etcd, the MariaDB servers, their <c>vtorc tablet</c> agents and the orchestrator daemon,
/// all detached and recorded in the work directory's state file, then waits until the orchestrator (not this command)
/// has elected a primary in every shard, and says how to watch a failover. A failed step names itself and its log and
/// stops what was started.
/// </summary>
internal static class LocalUp
{
    private static readonly TimeSpan TopoTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(LocalUpSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var dir = settings.Directory;
        await output.WriteLineAsync($"work directory: {dir}").ConfigureAwait(false);
        if (await RefuseToStartAsync(dir, error).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }
        VtorcExecutable executable;
        try
        {
            executable = VtorcExecutable.Locate();
            CheckPortFree(settings.HttpPort);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException)
        {
            await error.WriteLineAsync($"vtorc local up: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        Directory.CreateDirectory(dir);
        var state = new LocalClusterState
        {
            Directory = dir,
            Keyspace = settings.Keyspace,
            Shards = settings.Shards,
            Cells = settings.Cells,
            DurabilityPolicy = settings.DurabilityPolicy,
            MySqlUser = "vt",
            MySqlPassword = "vt_pass",
        };
        var launcher = new LocalProcessLauncher(state);
        AddTablets(state, launcher, settings);
        state.Save();

        var step = "starting etcd";
        try
        {
            var etcd = await launcher.StartEtcdAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"[1/5] etcd          {state.EtcdEndpoint}  pid {etcd.Pid}  log {etcd.LogPath}").ConfigureAwait(false);

            step = "creating the cells and the keyspace in the topology";
            await CreateTopologyAsync(state, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"[2/5] topology      cells {string.Join(",", state.Cells)}; keyspace {state.Keyspace} (durability {state.DurabilityPolicy}); shards {string.Join(",", state.Shards)}")
                .ConfigureAwait(false);

            step = "starting the MariaDB servers";
            await output.WriteLineAsync($"[3/5] mysqld        starting {state.Tablets.Count} MariaDB servers…").ConfigureAwait(false);
            var mysqlds = await Task.WhenAll(state.Tablets.Select(t => StartMySqldAsync(launcher, t, cancellationToken))).ConfigureAwait(false);
            foreach (var (tablet, record) in state.Tablets.Zip(mysqlds))
            {
                await output.WriteLineAsync($"      {tablet.Alias}  mysqld 127.0.0.1:{tablet.MySqlPort}  pid {record.Pid}  dir {tablet.MySqlDirectory}")
                    .ConfigureAwait(false);
            }

            step = "starting the tablet agents";
            await output.WriteLineAsync("[4/5] agents        starting one `vtorc tablet` per server…").ConfigureAwait(false);
            // One after the other: the first agent of a shard creates the shard record.
            foreach (var tablet in state.Tablets)
            {
                step = $"starting the agent of {tablet.Alias}";
                var agent = await launcher.StartAgentAsync(tablet, executable, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"      {tablet.Alias}  agent grpc 127.0.0.1:{agent.Ports["grpc"]}  pid {agent.Pid}  log {agent.LogPath}")
                    .ConfigureAwait(false);
            }

            step = "starting the orchestrator daemon";
            var daemon = await launcher.StartDaemonAsync(executable, DaemonArguments(state, settings), settings.HttpPort, cancellationToken)
                .ConfigureAwait(false);
            await output.WriteLineAsync(
                $"[5/5] vtorc         pid {daemon.Pid}  {(settings.HttpPort == 0 ? "no HTTP (--port 0)" : StatusUrl(settings.HttpPort))}  log {daemon.LogPath}")
                .ConfigureAwait(false);

            step = "waiting for the orchestrator to elect a primary";
            var primaries = await WaitForPrimariesAsync(state, settings, output, cancellationToken).ConfigureAwait(false);
            await PrintSummaryAsync(state, settings, primaries, output).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var interrupted = e is OperationCanceledException && cancellationToken.IsCancellationRequested;
            await error.WriteLineAsync(interrupted
                ? $"vtorc local up: interrupted while {step}"
                : $"vtorc local up: failed while {step}: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("vtorc local up: stopping what was started:").ConfigureAwait(false);
            await LocalClusterStopper.StopAllAsync(state, line => error.WriteLine("  " + line), CancellationToken.None).ConfigureAwait(false);
            await error.WriteLineAsync($"vtorc local up: the logs are kept in {dir}; `vtorc local down --dir {dir}` removes them").ConfigureAwait(false);
            return 1;
        }
    }

    public static string StatusUrl(int httpPort) => $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/debug/status";

    /// <summary>Exit code 1 with a message when the directory holds a running cluster or something that is not ours.</summary>
    private static async Task<int?> RefuseToStartAsync(string dir, TextWriter error)
    {
        LocalClusterState? existing;
        try
        {
            existing = LocalClusterState.TryLoad(dir);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"vtorc local up: {e.Message}; remove it or choose another --dir").ConfigureAwait(false);
            return 1;
        }
        if (existing is not null)
        {
            var alive = existing.Processes.Where(p => p.IsAlive).ToList();
            if (alive.Count > 0)
            {
                await error.WriteLineAsync(
                    $"vtorc local up: a local cluster is already running in {dir} ({alive.Count} processes, e.g. {alive[0].Kind} pid {alive[0].Pid}); "
                    + $"see it with `vtorc local status --dir {dir}`, stop it with `vtorc local down --dir {dir}`").ConfigureAwait(false);
                return 1;
            }
            // The leftovers of a cluster that was stopped or crashed: start afresh.
            Directory.Delete(dir, recursive: true);
            return null;
        }
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            await error.WriteLineAsync(
                $"vtorc local up: {dir} exists, is not empty and holds no {LocalClusterState.FileName}; choose another --dir (or set ${LocalWorkDirectory.EnvironmentVariable})")
                .ConfigureAwait(false);
            return 1;
        }
        return null;
    }

    private static void CheckPortFree(int port)
    {
        if (port == 0)
        {
            return;
        }
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"--port {port} is not free on 127.0.0.1 ({e.Message}); choose another with --port", e);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Shard number s gets uids 100·(s+1), 100·(s+1)+1, …; the tablets of a shard go round-robin over the cells.</summary>
    private static void AddTablets(LocalClusterState state, LocalProcessLauncher launcher, LocalUpSettings settings)
    {
        var ports = LoopbackPorts.PickFree(settings.Shards.Count * settings.TabletsPerShard);
        var next = 0;
        for (var s = 0; s < settings.Shards.Count; s++)
        {
            for (var i = 0; i < settings.TabletsPerShard; i++)
            {
                var uid = (uint)(100 * (s + 1) + i);
                var cell = settings.Cells[i % settings.Cells.Count];
                state.Tablets.Add(new LocalTabletRecord
                {
                    Alias = TabletAliasText.Format(cell, uid),
                    Cell = cell,
                    Uid = uid,
                    Shard = settings.Shards[s],
                    // The last --rdonly tablets of each shard serve reads only and are never promoted.
                    TabletType = i >= settings.TabletsPerShard - settings.RdonlyPerShard ? "rdonly" : "replica",
                    MySqlPort = ports[next++],
                    MySqlDirectory = launcher.MySqlDirectory(uid),
                });
            }
        }
    }

    private static async Task CreateTopologyAsync(LocalClusterState state, CancellationToken cancellationToken)
    {
        await using var topo = OpenTopo(state);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TopoTimeout);
        foreach (var cell in state.Cells)
        {
            await topo.CellInfos.CreateAsync(cell, new CellInfo { ServerAddress = state.EtcdEndpoint, Root = $"/vitess/{cell}" }, deadline.Token)
                .ConfigureAwait(false);
        }
        await topo.Keyspaces.CreateAsync(state.Keyspace, new Keyspace { DurabilityPolicy = state.DurabilityPolicy }, deadline.Token).ConfigureAwait(false);
    }

    public static TopoServer OpenTopo(LocalClusterState state) => TopoServer.Open(new TopoServerOptions
    {
        GlobalServerAddresses = [state.EtcdEndpoint],
        GlobalRoot = state.GlobalRoot,
        OperationTimeout = TimeSpan.FromSeconds(5),
        DialTimeout = TimeSpan.FromSeconds(2),
    });

    private static async Task<LocalProcessRecord> StartMySqldAsync(LocalProcessLauncher launcher, LocalTabletRecord tablet, CancellationToken cancellationToken)
    {
        try
        {
            return await launcher.StartMySqldAsync(tablet, [], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or MariaDbStartException)
        {
            throw new InvalidOperationException($"mysqld of {tablet.Alias}: {e.Message}", e);
        }
    }

    private static IReadOnlyList<string> DaemonArguments(LocalClusterState state, LocalUpSettings settings) =>
    [
        "--topo-implementation", "etcd2",
        "--topo-global-server-address", state.EtcdEndpoint,
        "--topo-global-root", state.GlobalRoot,
        "--port", settings.HttpPort.ToString(CultureInfo.InvariantCulture),
        "--bind-address", "127.0.0.1",
        "--instance-poll-time", settings.InstancePollTimeText,
        "--recovery-period-block-duration", settings.RecoveryPeriodBlockDurationText,
        // `local down` should not wait long for recoveries in flight.
        "--shutdown-wait-time", "5s",
        // Last, so that the operator's flags given after `--` win.
        .. settings.DaemonFlags,
    ];

    private static async Task<IReadOnlyDictionary<string, string>> WaitForPrimariesAsync(LocalClusterState state, LocalUpSettings settings,
        TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteAsync($"      waiting for the orchestrator to elect a primary in {string.Join(", ", state.Shards.Select(s => $"{state.Keyspace}/{s}"))} ")
            .ConfigureAwait(false);
        await using var topo = OpenTopo(state);
        var inspector = new ShardInspector(state, topo);
        var primaries = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow + settings.ElectionTimeout;
        while (true)
        {
            foreach (var shard in state.Shards.Where(s => !primaries.ContainsKey(s)))
            {
                if (await inspector.HealthyPrimaryAsync(shard, cancellationToken).ConfigureAwait(false) is { } primary)
                {
                    primaries[shard] = primary;
                }
            }
            if (primaries.Count == state.Shards.Count)
            {
                await output.WriteLineAsync(" done").ConfigureAwait(false);
                return primaries;
            }
            if (state.OfKind(LocalProcessKinds.Daemon).FirstOrDefault() is { IsAlive: false } daemon)
            {
                throw new InvalidOperationException($"the orchestrator daemon (pid {daemon.Pid}) exited; log {daemon.LogPath}:\n{LogFiles.Tail(daemon.LogPath, 20)}");
            }
            if (DateTime.UtcNow >= deadline)
            {
                await output.WriteLineAsync().ConfigureAwait(false);
                var missing = string.Join(", ", state.Shards.Where(s => !primaries.ContainsKey(s)).Select(s => $"{state.Keyspace}/{s}"));
                throw new TimeoutException(
                    $"no primary was elected in {missing} within {settings.ElectionTimeout.TotalSeconds:0} s; see the daemon's log {Path.Combine(state.Directory, "vtorc.log")}");
            }
            await output.WriteAsync(".").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task PrintSummaryAsync(LocalClusterState state, LocalUpSettings settings, IReadOnlyDictionary<string, string> primaries, TextWriter output)
    {
        var dirFlag = $" --dir {state.Directory}";
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("The local cluster is up:").ConfigureAwait(false);
        foreach (var shard in state.Shards)
        {
            var replicas = state.Tablets.Where(t => t.Shard == shard && t.Alias != primaries[shard]).Select(t => t.Alias);
            await output.WriteLineAsync($"  {state.Keyspace}/{shard}: primary {primaries[shard]} (elected by the orchestrator); replicas {string.Join(", ", replicas)}")
                .ConfigureAwait(false);
        }
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Watch a failover:").ConfigureAwait(false);
        if (state.HttpPort != 0)
        {
            await output.WriteLineAsync($"  operator page:     http://127.0.0.1:{state.HttpPort.ToString(CultureInfo.InvariantCulture)}/   (live)").ConfigureAwait(false);
            await output.WriteLineAsync($"  status page:       {StatusUrl(state.HttpPort)}").ConfigureAwait(false);
        }
        await output.WriteLineAsync($"  shard state:       vtorc local status{dirFlag}").ConfigureAwait(false);
        await output.WriteLineAsync($"  kill the primary:  vtorc local kill {primaries[state.Shards[0]]}{dirFlag}   (add --agent to lose the whole host)")
            .ConfigureAwait(false);
        await output.WriteLineAsync($"  bring it back:     vtorc local restart {primaries[state.Shards[0]]}{dirFlag}").ConfigureAwait(false);
        await output.WriteLineAsync($"  orchestrator log:  {Path.Combine(state.Directory, "vtorc.log")}").ConfigureAwait(false);
        if (settings.RecoveryPeriodBlockDuration > TimeSpan.Zero && state.HttpPort != 0)
        {
            // Anti-flapping surprises people who kill the new primary right away: say so, and how to let it through.
            await output.WriteLineAsync($"  anti-flapping:     a second failover of a shard within {settings.RecoveryPeriodBlockDurationText} is held until acknowledged:")
                .ConfigureAwait(false);
            await output.WriteLineAsync($"                     curl 'http://127.0.0.1:{state.HttpPort.ToString(CultureInfo.InvariantCulture)}/api/ack-recovery?keyspace={state.Keyspace}&shard={state.Shards[0]}&comment=demo'")
                .ConfigureAwait(false);
        }
        await output.WriteLineAsync($"  stop everything:   vtorc local down{dirFlag}").ConfigureAwait(false);
    }
}
