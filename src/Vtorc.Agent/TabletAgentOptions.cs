using System.Net;
using Topodata;
using Vtorc.Agent.MySql;
using Vtorc.Topo;

namespace Vtorc.Agent;

/// <summary>Everything one tablet agent needs: who it is in the topology, where it listens, which mysqld it owns.</summary>
public sealed record TabletAgentOptions
{
    /// <summary>The uid of the tablet alias <c>{cell}-{uid:D10}</c>.</summary>
    public required uint TabletUid { get; init; }

    public required string Cell { get; init; }

    public required string Keyspace { get; init; }

    /// <summary>The shard name as given; range names are stored lower-case.</summary>
    public required string Shard { get; init; }

    /// <summary>The type a tablet starts as unless the topology says it is the primary: REPLICA or RDONLY.</summary>
    public TabletType InitialTabletType { get; init; } = TabletType.Replica;

    /// <summary>The host VTOrc dials for gRPC (Tablet.hostname).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Where the gRPC server listens; null: loopback when <see cref="Hostname"/> is a loopback name, else every address.</summary>
    public IPAddress? BindAddress { get; init; }

    /// <summary>0 picks a free port (read <see cref="TabletAgent.GrpcPort"/> after start).</summary>
    public int GrpcPort { get; init; }

    /// <summary>How to reach the managed mysqld (user and password from <see cref="MySqlCredentials"/>).</summary>
    public required MySqlConnectionOptions MySql { get; init; }

    /// <summary>The account replicas use to replicate from this tablet's mysqld.</summary>
    public required string ReplicationUser { get; init; }

    public string ReplicationPassword { get; init; } = "";

    /// <summary>
    /// The host written as Tablet.mysql_hostname (what replicas connect to); null: the TCP host of <see cref="MySql"/>,
    /// or <see cref="Hostname"/> when mysqld is reached through a unix socket.
    /// </summary>
    public string? MySqlAdvertisedHost { get; init; }

    /// <summary>The port written as Tablet.mysql_port; null: the TCP port of <see cref="MySql"/>.</summary>
    public int? MySqlAdvertisedPort { get; init; }

    /// <summary>Tablet.db_name_override; null or empty: the database is <c>vt_{keyspace}</c>.</summary>
    public string? DbName { get; init; }

    public required TopoServerOptions Topo { get; init; }

    /// <summary>The budget of an RPC whose caller sent no deadline.</summary>
    public TimeSpan DefaultRpcTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long start-up waits for mysqld to accept connections.</summary>
    public TimeSpan MySqlStartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long commits must wait with no semi-sync acknowledgement arriving before FullStatus reports the primary
    /// as semi-sync blocked (which VTOrc repairs with an emergency reparent); the semi-sync monitor's heartbeat must
    /// be stuck too (<see cref="Manager.SemiSyncMonitor"/>).
    /// </summary>
    public TimeSpan SemiSyncStallThreshold { get; init; } = Flavors.SemiSyncStallTracker.DefaultThreshold;

    /// <summary>
    /// How long a PRIMARY tablet may hear nothing from the topology and from every other tablet of its shard before it
    /// fences its mysqld (docs/reliability.md, "A primary fences itself"); zero turns that off. It must stay below the
    /// replicas' net timeout (<see cref="Flavors.ReplicationTimeouts.NetTimeoutSeconds"/>), after which the
    /// orchestrator may promote one of them.
    /// </summary>
    public TimeSpan IsolationFenceAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What a fence does with commits waiting for a semi-sync acknowledgement on MariaDB (<see cref="Agent.WaitingCommitsFence"/>).
    /// MySQL has no crash recovery that drops them, so there the waiting connections are always killed.
    /// </summary>
    public WaitingCommitsFence WaitingCommitsFence { get; init; } = WaitingCommitsFence.Crash;

    /// <summary>vttablet's is 20 s; ours is short because the orchestrator times out on the stream's silence (docs/vitess-compatibility.md).</summary>
    public static readonly TimeSpan DefaultHealthCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the health stream sends a snapshot to every subscriber with or without a change (--health-check-interval):
    /// the heartbeat whose absence tells a listener the host went silent.
    /// </summary>
    public TimeSpan HealthCheckInterval { get; init; } = DefaultHealthCheckInterval;

    /// <summary>TLS and static auth of the gRPC port (vttablet's <c>--grpc-cert</c> etc.); plaintext and open by default.</summary>
    public TabletServerSecurity GrpcSecurity { get; init; } = new();

    /// <summary>
    /// --disk-write-dir: the directory the disk health probe writes to (normally mysqld's data directory); null or empty
    /// turns the probe off, as in vttablet (<see cref="Disk.DiskHealthMonitor"/>).
    /// </summary>
    public string? DiskWriteDirectory { get; init; }

    /// <summary>--disk-write-interval: how often the disk health probe writes.</summary>
    public TimeSpan DiskWriteInterval { get; init; } = DefaultDiskWriteInterval;

    /// <summary>vttablet's --disk-write-interval default.</summary>
    public static readonly TimeSpan DefaultDiskWriteInterval = TimeSpan.FromSeconds(5);

    /// <summary>vttablet's --disk-write-timeout default.</summary>
    public static readonly TimeSpan DefaultDiskWriteTimeout = TimeSpan.FromSeconds(30);

    /// <summary>--disk-write-timeout: a probe slower than this marks the disk stalled.</summary>
    public TimeSpan DiskWriteTimeout { get; init; } = DefaultDiskWriteTimeout;

    /// <summary>
    /// --track-shard-tablet-health: ping the shard's primary and report what came of it in FullStatus (field 26), for the
    /// orchestrator's opt-in PrimaryTabletUnreachableByQuorum detection (<see cref="ShardHealth.ShardPeerMonitor"/>). Off by default, as in vttablet.
    /// </summary>
    public bool TrackShardTabletHealth { get; init; }

    /// <summary>vttablet's --shard-tablet-health-interval default.</summary>
    public static readonly TimeSpan DefaultShardTabletHealthInterval = TimeSpan.FromSeconds(1);

    /// <summary>--shard-tablet-health-interval: how often the shard's primary is pinged; each Ping may take twice this.</summary>
    public TimeSpan ShardTabletHealthInterval { get; init; } = DefaultShardTabletHealthInterval;

    /// <summary>How the shard-peer monitor reaches other tablets (vttablet's --tablet-manager-grpc-* client flags); plaintext by default.</summary>
    public Reparent.TabletManager.TabletClientSecurity PeerClientSecurity { get; init; } = new();

    /// <summary>The alias text <c>{cell}-{uid:D10}</c>.</summary>
    public string AliasText => TabletAliasText.Format(Cell, TabletUid);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        TopoNames.ValidateCell(Cell);
        TopoNames.ValidateKeyspace(Keyspace);
        _ = ShardName.Parse(Shard);
        if (InitialTabletType is not (TabletType.Replica or TabletType.Rdonly))
        {
            throw new ArgumentException(
                $"initial tablet type {InitialTabletType.ToName()} is not allowed: a tablet starts as REPLICA or RDONLY", nameof(InitialTabletType));
        }
        if (string.IsNullOrWhiteSpace(Hostname))
        {
            throw new ArgumentException($"tablet hostname \"{Hostname}\" is empty", nameof(Hostname));
        }
        if (GrpcPort is < 0 or > 65535)
        {
            throw new ArgumentException($"gRPC port {GrpcPort} is outside 0..65535", nameof(GrpcPort));
        }
        ArgumentNullException.ThrowIfNull(GrpcSecurity);
        GrpcSecurity.Validate();
        ArgumentNullException.ThrowIfNull(MySql);
        MySql.Validate();
        if (string.IsNullOrEmpty(ReplicationUser))
        {
            throw new ArgumentException("replication user is empty", nameof(ReplicationUser));
        }
        if (MySql.UnixSocket is not null && MySqlAdvertisedPort is null)
        {
            throw new ArgumentException(
                $"mysqld is reached through socket \"{MySql.UnixSocket}\": give its TCP port too (--mysql-port), replicas need it", nameof(MySqlAdvertisedPort));
        }
        Topo.Validate();
        if (DefaultRpcTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"default RPC timeout {DefaultRpcTimeout} must be positive", nameof(DefaultRpcTimeout));
        }
        if (HealthCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"health check interval {HealthCheckInterval.TotalSeconds} s must be positive", nameof(HealthCheckInterval));
        }
        if (ShardTabletHealthInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--shard-tablet-health-interval {ShardTabletHealthInterval.TotalSeconds} s must be positive", nameof(ShardTabletHealthInterval));
        }
        ArgumentNullException.ThrowIfNull(PeerClientSecurity);
        if (TrackShardTabletHealth)
        {
            // Reads and checks the certificate files now, so a bad one stops start-up naming its flag.
            _ = PeerClientSecurity.Apply(new Reparent.TabletManager.TabletManagerClientOptions());
        }
        if (DiskWriteInterval <= TimeSpan.Zero || DiskWriteTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"disk write interval ({DiskWriteInterval.TotalSeconds} s) and timeout ({DiskWriteTimeout.TotalSeconds} s) must be positive", nameof(DiskWriteInterval));
        }
        if (!string.IsNullOrEmpty(DiskWriteDirectory) && !Directory.Exists(DiskWriteDirectory))
        {
            throw new ArgumentException($"disk write directory \"{DiskWriteDirectory}\" does not exist", nameof(DiskWriteDirectory));
        }
        if (IsolationFenceAfter < TimeSpan.Zero || IsolationFenceAfter >= TimeSpan.FromSeconds(Flavors.ReplicationTimeouts.NetTimeoutSeconds))
        {
            throw new ArgumentException(
                $"isolation fence bound {IsolationFenceAfter.TotalSeconds} s must be zero (off) or shorter than the replicas' net timeout ({Flavors.ReplicationTimeouts.NetTimeoutSeconds} s)",
                nameof(IsolationFenceAfter));
        }
    }
}
