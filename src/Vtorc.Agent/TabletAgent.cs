using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Topodata;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.Health;
using Vtorc.Agent.MySql;
using Vtorc.Agent.Manager;
using Vtorc.Agent.ShardHealth;
using Grpc.Core;
using Vtorc.Protocol.Rpc;
using Vtorc.Protocol.Tablets;
using Vtorc.Topo;

namespace Vtorc.Agent;

/// <summary>
/// A tablet agent: owns one mysqld, serves the TabletManager gRPC service for it and keeps its Tablet record in
/// the topology. <see cref="StartAsync"/> connects to mysqld, starts the gRPC server and registers the tablet
/// (creating the keyspace with durability "none" and the shard when missing); a tablet that was PRIMARY but whose
/// shard has moved on to a newer primary demotes itself, then and whenever it finds so later (<see cref="Manager.ShardSync"/>). <see cref="StopAsync"/> is the clean shutdown
/// (tablet_shutdown_time set).
/// </summary>
public sealed class TabletAgent : IAsyncDisposable
{
    private static readonly TimeSpan ConnectRetryInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly TabletAgentOptions _options;
    private readonly TopoServer _topo;
    private readonly MySqlConnectionPool _pool;
    private readonly RpcServer _server;
    private readonly TabletRecordKeeper _record;
    private readonly ILogger _logger;
    private readonly TabletHealth _health;
    private int _stopped;

    private TabletAgent(TabletAgentOptions options, TopoServer topo, MySqlConnectionPool pool, MySqlActions mysql, RpcServer server,
        TabletRecordKeeper record, TabletManagerService service, ILogger logger, SemiSyncMonitor monitor, MySqlRestartGuard guard, ShardSync shardSync,
        TabletHealth health, ShardPeerMonitor? shardPeers)
    {
        _health = health;
        ShardPeers = shardPeers;
        ShardSync = shardSync;
        SemiSyncMonitor = monitor;
        RestartGuard = guard;
        _options = options;
        _topo = topo;
        _pool = pool;
        MySql = mysql;
        _server = server;
        _record = record;
        Service = service;
        _logger = logger;
    }

    public TabletAlias Alias => _record.Alias;

    /// <summary><c>{cell}-{uid:D10}</c>.</summary>
    public string AliasText => _record.AliasText;

    /// <summary>The port the gRPC server listens on.</summary>
    public int GrpcPort => _server.Port;

    /// <summary>"host:port" VTOrc dials (Tablet.hostname and port_map["grpc"]).</summary>
    public string GrpcAddress => $"{(_options.Hostname.Contains(':') ? $"[{_options.Hostname}]" : _options.Hostname)}:{GrpcPort}";

    /// <summary>The type this agent currently serves as.</summary>
    public TabletType CurrentType => _record.Type;

    /// <summary>A copy of the Tablet record as last written or read.</summary>
    public Tablet CurrentRecord => _record.Current;

    public MySqlActions MySql { get; }

    public TabletManagerService Service { get; }

    public SemiSyncMonitor SemiSyncMonitor { get; }

    public MySqlRestartGuard RestartGuard { get; }

    public ShardSync ShardSync { get; }

    /// <summary>The shard-peer monitor (--track-shard-tablet-health); null when off.</summary>
    public ShardPeerMonitor? ShardPeers { get; }

    /// <summary>What the health stream sends (queryservice.Query/StreamHealth on <see cref="GrpcPort"/>).</summary>
    public TabletHealthBroadcaster Health => _health.Broadcaster;

    /// <summary>The mysqld watcher behind the stream's health_error.</summary>
    public MySqldWatcher MySqldWatcher => _health.MySqld;

    /// <summary>Connects, serves and registers; throws (after cleaning up) when any step fails.</summary>
    public static async Task<TabletAgent> StartAsync(TabletAgentOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        var logger = loggerFactory.CreateLogger("Vtorc.Agent.TabletAgent");
        var shard = ShardName.Parse(options.Shard);
        var alias = TabletAliases.Create(options.Cell, options.TabletUid);

        // Certificates and password files are read before anything starts, so a bad one stops the agent at once.
        var serverOptions = options.GrpcSecurity.Apply(new RpcServerOptions
        {
            BindAddress = options.BindAddress ?? (IsLoopback(options.Hostname) ? IPAddress.Loopback : IPAddress.Any),
            Port = options.GrpcPort,
            LoggerFactory = loggerFactory,
        });
        var topo = TopoServer.Open(options.Topo);
        MySqlConnectionPool? pool = null;
        RpcServer? server = null;
        TabletHealth? health = null;
        try
        {
            var serverFlavor = await ConnectAsync(options, logger, cancellationToken).ConfigureAwait(false);
            pool = new MySqlConnectionPool(options.MySql);
            var mysql = new MySqlActions(pool, serverFlavor, options.SemiSyncStallThreshold);
            logger.MySqldIdentified(alias.ToText(), options.MySql.Endpoint, serverFlavor, mysql.Flavor.Name);
            // A silent source must be given up within seconds, not after MariaDB's 60 s default (docs/reliability.md,
            // "Silence is not health"); SetReplicationSource sets it again, since mysqld forgets it when restarted.
            await mysql.SetReplicaNetTimeoutAsync(ReplicationTimeouts.NetTimeoutSeconds, cancellationToken).ConfigureAwait(false);
            logger.ReplicaNetTimeoutSet(alias.ToText(), ReplicationTimeouts.NetTimeoutSeconds);
            try
            {
                // Read now: a fence may have to kill a mysqld that no longer answers (docs/reliability.md, "A frozen primary").
                var pidFile = await mysql.PidFilePathAsync(cancellationToken).ConfigureAwait(false);
                logger.MySqldPidFileFound(
                    alias.ToText(), pidFile, File.Exists(pidFile) ? "" : " (not on this host: a fence cannot kill mysqld)");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.MySqldPidFileUnknown(alias.ToText(), e.Message);
            }

            var keyspace = await EnsureKeyspaceAsync(topo, options.Keyspace, logger, cancellationToken).ConfigureAwait(false);
            var shardRecord = await EnsureShardAsync(topo, options.Keyspace, shard.Name, logger, cancellationToken).ConfigureAwait(false);
            var previous = (await topo.Tablets.TryGetAsync(alias, cancellationToken).ConfigureAwait(false))?.Value;
            var role = StartupRole.Decide(alias, previous, shardRecord, options.InitialTabletType);

            var template = new Tablet
            {
                Alias = alias,
                Hostname = options.Hostname,
                Keyspace = options.Keyspace,
                Shard = shard.Name,
                KeyRange = shard.ToKeyRange(),
                Type = role.Type,
                DbNameOverride = options.DbName ?? "",
                MysqlHostname = options.MySqlAdvertisedHost ?? (options.MySql.UnixSocket is null ? options.MySql.Host : options.Hostname),
                MysqlPort = options.MySqlAdvertisedPort ?? options.MySql.Port,
            };
            var record = new TabletRecordKeeper(topo, template, logger, time);
            var service = new TabletManagerService(record, mysql, topo, options, logger, time);
            var monitor = new SemiSyncMonitor(mysql, options.MySql, () => record.Type == TabletType.Primary, alias.ToText(), logger, time);
            service.SemiSyncMonitor = monitor;
            if (role.Type != TabletType.Primary)
            {
                // Read-only unless primary (docs/reliability.md), whatever mysqld was started with — through the
                // demotion's bounded fence: a server that was a primary may have commits waiting for semi-sync
                // acknowledgements that no replica will send any more, and a plain read_only switch waits for them.
                using var call = RpcCall.Start("StartupReadOnly", null, cancellationToken, options.DefaultRpcTimeout, time);
                try
                {
                    using (await service.LockAsync(call.Token).ConfigureAwait(false))
                    {
                        await service.DemoteLockedAsync(call, force: true, silentBound: TabletManagerService.StartupSilentMySqldBound)
                            .ConfigureAwait(false);
                    }
                    logger.MySqldReadOnlyAtStart(alias.ToText(), role.Reason);
                }
                catch (RpcException killed) when (MySqldKilledToFence.IsIn(killed.Status.Detail))
                {
                    // The fence worked: a killed mysqld takes no writes, and it comes back read-only as a replica
                    // (docs/reliability.md, "Unacknowledged commits of an old primary"). The agent must serve all the
                    // same, or nothing repairs the tablet (chaos: KillAgent of a primary the shard failed over from).
                    logger.MySqldKilledAtStart(alias.ToText(), role.Reason);
                }
            }
            var guard = new MySqlRestartGuard(mysql, options.MySql, ct => IsShardPrimaryAsync(topo, options.Keyspace, shard.Name, alias, logger, ct),
                service.LockAsync, alias.ToText(), logger, time);
            health = TabletHealth.Create(options, record, mysql.Flavor, logger, time);
            service.DiskHealth = health.Disk;
            server = await RpcServer.StartAsync(service, new HealthStreamService(health.Broadcaster), serverOptions, cancellationToken).ConfigureAwait(false);
            record.SetGrpcPort(server.Port);
            await record.RegisterAsync(role, cancellationToken).ConfigureAwait(false);

            var shardSync = new ShardSync(options, record, service, logger, time);
            var peers = options.TrackShardTabletHealth ? new ShardPeerMonitor(options, topo, alias, logger, time) : null;
            service.ShardPeers = peers;
            var agent = new TabletAgent(options, topo, pool, mysql, server, record, service, logger, monitor, guard, shardSync, health, peers);
            guard.Start();
            health.Start();
            monitor.Start();
            if (role.DemoteFrom is { } newPrimary)
            {
                // Already a REPLICA in the topology (registered so above); failures are logged, and VTOrc repairs the
                // replication of a replica that does not replicate.
                await shardSync.DemoteAsync("StartupDemotion", newPrimary, role.Reason, semiSync: keyspace.DurabilityPolicy is not ("" or "none"),
                    cancellationToken).ConfigureAwait(false);
            }
            // Before the loop starts: a primary without a peer list never fences itself, and a tablet cut off right
            // after its agent restarted could otherwise not read the list at all (chaos: KillAgent, then IsolatePrimary).
            await shardSync.ReadPeersAsync(cancellationToken).ConfigureAwait(false);
            shardSync.Start();
            peers?.Start();
            logger.AgentServing(alias.ToText(), agent.GrpcAddress, record.Type.ToName());
            return agent;
        }
        catch
        {
            if (health is not null)
            {
                await health.DisposeAsync().ConfigureAwait(false);
            }
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            pool?.Dispose();
            await topo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Clean shutdown: stop serving, then set tablet_shutdown_time so VTOrc stops polling this tablet.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        try
        {
            await StopLoopsAsync().ConfigureAwait(false);
            Service.CancelCalls();
            await _server.DisposeAsync().ConfigureAwait(false);
            try
            {
                await _record.MarkShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TopoException or OperationCanceledException)
            {
                _logger.ShutdownNotRecorded(AliasText, e.Message);
            }
        }
        finally
        {
            _pool.Dispose();
            await _topo.DisposeAsync().ConfigureAwait(false);
            _logger.AgentStopped(AliasText);
        }
    }

    /// <summary>Stops without touching the topology, as a crash would (the record keeps its type and no shutdown time).</summary>
    public async Task AbandonAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        await StopLoopsAsync().ConfigureAwait(false);
        Service.CancelCalls();
        await _server.DisposeAsync().ConfigureAwait(false);
        _pool.Dispose();
        await _topo.DisposeAsync().ConfigureAwait(false);
    }

    private async Task StopLoopsAsync()
    {
        // First: the health streams end normally before the server stops, and no snapshot reports the shutdown as a failure.
        await _health.DisposeAsync().ConfigureAwait(false);
        if (ShardPeers is not null)
        {
            await ShardPeers.DisposeAsync().ConfigureAwait(false);
        }
        await ShardSync.DisposeAsync().ConfigureAwait(false);
        await RestartGuard.DisposeAsync().ConfigureAwait(false);
        await SemiSyncMonitor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the shard record names this tablet as its primary; false when the record cannot be read (read-only is
    /// the safe answer: VTOrc makes a read-only primary writable again, PrimaryIsReadOnly).
    /// </summary>
    private static async Task<bool> IsShardPrimaryAsync(TopoServer topo, string keyspace, string shard, TabletAlias self, ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            var record = await topo.Shards.GetAsync((keyspace, shard), cancellationToken).ConfigureAwait(false);
            return StartupRole.SameAlias(record.Value.PrimaryAlias, self);
        }
        catch (Exception e) when (e is TopoException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.ShardRecordUnreadableAtStart(self.ToText(), e.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        await StopAsync(timeout.Token).ConfigureAwait(false);
    }

    private static async Task<MySqlFlavor> ConnectAsync(TabletAgentOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MySqlStartTimeout);
        MySqlCallException? last = null;
        while (true)
        {
            try
            {
                await using var connection = await MySqlCalls.OpenAsync(options.MySql, timeout.Token).ConfigureAwait(false);
                return await MySqlFlavor.DetectAsync(connection, timeout.Token).ConfigureAwait(false);
            }
            catch (MySqlCallException e) when (e.IsConnectionError)
            {
                if (last is null)
                {
                    logger.WaitingForMySqld(options.MySql.Endpoint, e.Message);
                }
                last = e;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                await Task.Delay(ConnectRetryInterval, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        throw new MySqlCallException(last?.Number ?? (int)MySqlConnector.MySqlErrorCode.UnableToConnectToHost, last?.SqlState ?? "HY000",
            $"mysqld at {options.MySql.Endpoint} did not accept a connection within {options.MySqlStartTimeout.TotalSeconds:0.#} s"
            + (last is null ? "" : $" (last error: {last.Message})"), endpoint: options.MySql.Endpoint, connectionLost: true);
    }

    private static async Task<Keyspace> EnsureKeyspaceAsync(TopoServer topo, string name, ILogger logger, CancellationToken cancellationToken)
    {
        var existing = await topo.Keyspaces.TryGetAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing.Value;
        }
        try
        {
            var created = await topo.Keyspaces.CreateAsync(name, new Keyspace { DurabilityPolicy = "none" }, cancellationToken).ConfigureAwait(false);
            logger.KeyspaceCreated(name);
            return created.Value;
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.NodeExists)
        {
            return (await topo.Keyspaces.GetAsync(name, cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private static async Task<Shard> EnsureShardAsync(TopoServer topo, string keyspace, string shard, ILogger logger, CancellationToken cancellationToken)
    {
        var existing = await topo.Shards.TryGetAsync((keyspace, shard), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing.Value;
        }
        try
        {
            var created = await topo.CreateShardAsync(keyspace, shard, cancellationToken).ConfigureAwait(false);
            logger.ShardCreated(keyspace, shard);
            return created.Value;
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.NodeExists)
        {
            return (await topo.Shards.GetAsync((keyspace, shard), cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
