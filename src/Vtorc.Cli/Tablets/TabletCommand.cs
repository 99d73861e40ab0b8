using System.CommandLine;
using Microsoft.Extensions.Logging;
using Vtorc.Agent;
using Vtorc.Agent.MySql;
using Vtorc.Cli.Ctl;
using Vtorc.Cli.Flags;
using Vtorc.Topo;

namespace Vtorc.Cli.Tablets;

/// <summary>
/// `vtorc tablet`: runs a tablet agent for one mysqld until SIGTERM or Ctrl-C, then shuts down cleanly
/// (tablet_shutdown_time set). MySQL credentials come from --mysql-credentials-file or the environment
/// (VTORC_MYSQL_USER, VTORC_MYSQL_PASSWORD, VTORC_REPLICATION_USER, VTORC_REPLICATION_PASSWORD), never from flags.
/// </summary>
internal static class TabletCommand
{
    private const string TrackShardTabletHealthFlag = "--track-shard-tablet-health";

    /// <summary>Like <see cref="Daemon.DaemonFlags.CheckBooleanValues"/> for the boolean flags of `vtorc tablet`; null when fine or not this command.</summary>
    public static string? CheckBooleanValues(IReadOnlyList<string> normalizedArgs) =>
        normalizedArgs.Count > 0 && normalizedArgs[0] == "tablet"
            ? Daemon.DaemonFlags.CheckBooleanValues(normalizedArgs, [Daemon.DaemonFlags.CreateBool(TrackShardTabletHealthFlag, false, "")])
            : null;

    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("tablet",
            "Run a tablet agent: serve Vitess's TabletManager gRPC service for one MySQL/MariaDB server and register it in the topology.");
        var topoFlags = new TopoFlags();
        topoFlags.AddTo(command);
        var uid = new Option<uint?>("--tablet-uid") { Description = "the tablet's uid; its alias is {cell}-{uid:D10}", Required = true };
        var cell = new Option<string>("--cell") { Description = "the tablet's cell (must exist in the topology)", Required = true };
        var keyspace = new Option<string>("--keyspace", "--init-keyspace")
        {
            Description = "the tablet's keyspace (created with durability policy none when missing)",
            Required = true,
        };
        var shard = new Option<string>("--shard", "--init-shard") { Description = "the tablet's shard, e.g. 0 or -80 (created when missing)", Required = true };
        var tabletType = new Option<string>("--tablet-type", "--init-tablet-type")
        {
            Description = "the type the tablet starts as unless the topology names it primary: replica or rdonly",
            DefaultValueFactory = _ => "replica",
        };
        var hostname = new Option<string>("--tablet-hostname")
        {
            Description = "the host name or address VTOrc dials to reach this tablet",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var grpcPort = new Option<int>("--grpc-port") { Description = "the gRPC port; 0 picks a free one", DefaultValueFactory = _ => 0 };
        var mysqlHost = new Option<string>("--mysql-host", "--db-host") { Description = "mysqld's host (TCP)", DefaultValueFactory = _ => "127.0.0.1" };
        var mysqlPort = new Option<int>("--mysql-port", "--db-port")
        {
            Description = "mysqld's TCP port (also what replicas connect to when --mysql-socket is used)",
            DefaultValueFactory = _ => 3306,
        };
        var mysqlSocket = new Option<string?>("--mysql-socket", "--db-socket") { Description = "connect to mysqld through this unix socket instead of TCP" };
        var credentials = new Option<string?>("--mysql-credentials-file")
        {
            Description = "file with the MySQL accounts: JSON {\"user\": …, \"password\": …, \"replication_user\": …, \"replication_password\": …} "
                + "or key=value lines with the same keys; missing values come from VTORC_MYSQL_USER, VTORC_MYSQL_PASSWORD, "
                + "VTORC_REPLICATION_USER, VTORC_REPLICATION_PASSWORD (the replication account defaults to the MySQL account)",
        };
        var sslMode = new Option<string>("--mysql-ssl-mode")
        {
            Description = "TLS to mysqld: disabled, preferred, required, verify-ca (mysqld's certificate must chain to --mysql-ssl-ca) or "
                + "verify-full (also its host name)",
            DefaultValueFactory = _ => "disabled",
        };
        sslMode.AcceptOnlyFromAmong("disabled", "preferred", "required", "verify-ca", "verify-full");
        var sslCa = new Option<string?>("--mysql-ssl-ca") { Description = "CA certificate (PEM) for --mysql-ssl-mode verify-ca or verify-full; default: the system's roots" };
        var dbName = new Option<string?>("--db-name") { Description = "the database name (Tablet.db_name_override); default vt_{keyspace}" };
        var isolationFence = DurationOption.Create("--isolation-fence-after", TimeSpan.FromSeconds(2),
            "a primary that hears nothing from the topology and from every other tablet of its shard for this long makes its mysqld read-only "
            + "and kills its client connections (the orchestrator may be promoting a replica); 0 turns this off. Must stay below the replicas' 4 s net timeout");
        var healthInterval = DurationOption.Create("--health-check-interval", TabletAgentOptions.DefaultHealthCheckInterval,
            "how often the health stream (queryservice.Query/StreamHealth) sends its snapshot to every subscriber even when nothing changed; "
            + "a listener can take its silence as a lost host. Changes are sent at once whatever this is (vttablet's default: 20s)");
        // vttablet's disk-stall probe (go/vt/vttablet/tabletserver/disk_health_monitor.go), same flags and defaults.
        var diskWriteDir = new Option<string?>("--disk-write-dir")
        {
            Description = "directory (normally mysqld's data directory) where a small file, .stalled_disk_check, is written and fsynced every "
                + "--disk-write-interval; a write that fails or takes longer than --disk-write-timeout marks the disk stalled: FullStatus then "
                + "reports disk_stalled (the orchestrator fails the primary over with --enable-primary-disk-stalled-recovery) and the health "
                + "stream stops serving. Empty: no probe",
        };
        var diskWriteInterval = DurationOption.Create("--disk-write-interval", TabletAgentOptions.DefaultDiskWriteInterval,
            "how often the disk-stall probe writes (a write still running is not repeated)");
        var diskWriteTimeout = DurationOption.Create("--disk-write-timeout", TabletAgentOptions.DefaultDiskWriteTimeout,
            "a disk-stall probe write slower than this marks the disk stalled");
        var waitingCommits = new Option<string>("--fence-waiting-commits")
        {
            Description = "MariaDB: what a fence does with commits still waiting for a semi-sync acknowledgement: crash (SIGKILL mysqld, found through its "
                + "pid file, so the agent must run on mysqld's host and mysqld must be supervised; its crash recovery as a replica drops them and the "
                + "server can rejoin its shard; a forced fence also kills a mysqld that does not answer for 500 ms, so a frozen primary cannot wake up "
                + "writable) or kill (kill their connections; MariaDB then commits them and the server may diverge from its shard; mysqld is never killed)",
            DefaultValueFactory = _ => "crash",
        };
        waitingCommits.AcceptOnlyFromAmong("crash", "kill");
        // vttablet's shard-peer monitor (go/vt/vttablet/tabletmanager/shard_health.go), same flags and defaults.
        var trackShardHealth = Daemon.DaemonFlags.CreateBool(TrackShardTabletHealthFlag, false,
            "ping the shard's primary (the one the shard record names; nothing when this tablet is it) every --shard-tablet-health-interval "
            + "and report the consecutive failures and the last Ping times in FullStatus, so that the orchestrator's opt-in "
            + "--emergency-reparent-on-primary-tablet-unreachable can count this tablet's vote. The shard record is read again every 10 s");
        var shardHealthInterval = DurationOption.Create("--shard-tablet-health-interval", TabletAgentOptions.DefaultShardTabletHealthInterval,
            "how often the shard-peer monitor pings the shard's primary (--track-shard-tablet-health); each Ping may take twice this", allowZero: false);
        foreach (var option in new Option[] { uid, cell, keyspace, shard, tabletType, hostname, grpcPort, mysqlHost, mysqlPort, mysqlSocket, sslMode, sslCa, credentials, dbName,
                     isolationFence.Option, healthInterval.Option, waitingCommits, diskWriteDir, diskWriteInterval.Option, diskWriteTimeout.Option,
                     trackShardHealth, shardHealthInterval.Option })
        {
            command.Add(option);
        }

        // TLS and static auth of the gRPC port (vttablet's flags).
        var grpcSecurity = new TabletServerTlsFlags();
        grpcSecurity.AddTo(command);
        // How the shard-peer monitor reaches the other tablets' gRPC ports (vttablet's tablet manager client flags).
        var peerSecurity = new TabletTlsFlags();
        peerSecurity.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TabletAgentOptions options;
            try
            {
                var topo = CtlContext.OptionsFrom(parseResult, topoFlags);
                var accounts = MySqlCredentials.Load(parseResult.GetValue(credentials));
                var type = TabletTypeText.Parse(parseResult.GetValue(tabletType)!);
                var socket = parseResult.GetValue(mysqlSocket);
                options = new TabletAgentOptions
                {
                    TabletUid = parseResult.GetValue(uid)!.Value,
                    Cell = parseResult.GetValue(cell)!,
                    Keyspace = parseResult.GetValue(keyspace)!,
                    Shard = parseResult.GetValue(shard)!,
                    InitialTabletType = type,
                    Hostname = parseResult.GetValue(hostname)!,
                    GrpcPort = parseResult.GetValue(grpcPort),
                    MySql = new MySqlConnectionOptions
                    {
                        Host = parseResult.GetValue(mysqlHost)!,
                        Port = parseResult.GetValue(mysqlPort),
                        UnixSocket = string.IsNullOrEmpty(socket) ? null : socket,
                        User = accounts.User,
                        Password = accounts.Password,
                        CommandTimeout = topo.OperationTimeout * 2,
                        SslMode = SslModeFrom(parseResult.GetValue(sslMode)!),
                        SslCaFile = parseResult.GetValue(sslCa),
                    },
                    MySqlAdvertisedPort = parseResult.GetValue(mysqlPort),
                    ReplicationUser = accounts.ReplicationUser,
                    ReplicationPassword = accounts.ReplicationPassword,
                    DbName = parseResult.GetValue(dbName),
                    Topo = topo,
                    DefaultRpcTimeout = topo.OperationTimeout,
                    IsolationFenceAfter = isolationFence.GetValue(parseResult),
                    HealthCheckInterval = healthInterval.GetValue(parseResult),
                    DiskWriteDirectory = parseResult.GetValue(diskWriteDir),
                    DiskWriteInterval = diskWriteInterval.GetValue(parseResult),
                    DiskWriteTimeout = diskWriteTimeout.GetValue(parseResult),
                    WaitingCommitsFence = parseResult.GetValue(waitingCommits) == "kill" ? WaitingCommitsFence.Kill : WaitingCommitsFence.Crash,
                    GrpcSecurity = grpcSecurity.GetValues(parseResult),
                    TrackShardTabletHealth = parseResult.GetValue(trackShardHealth) ?? false,
                    ShardTabletHealthInterval = shardHealthInterval.GetValue(parseResult),
                    PeerClientSecurity = peerSecurity.GetValues(parseResult),
                };
                options.Validate();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or CtlUsageException)
            {
                await error.WriteLineAsync($"vtorc tablet: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return 1;
            }

            using var loggerFactory = ConsoleLogging.Create();
            TabletAgent agent;
            try
            {
                agent = await TabletAgent.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("vtorc tablet: interrupted while starting").ConfigureAwait(false);
                return 130;
            }
            catch (Exception e)
            {
                await error.WriteLineAsync($"vtorc tablet {options.AliasText}: cannot start: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return 1;
            }

            await output.WriteLineAsync($"tablet {agent.AliasText} serving on {agent.GrpcAddress} as {agent.CurrentType.ToName()}").ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM or Ctrl-C: shut down cleanly below.
            }
            using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await agent.StopAsync(shutdown.Token).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static MySqlConnector.MySqlSslMode SslModeFrom(string flag) => flag switch
    {
        "preferred" => MySqlConnector.MySqlSslMode.Preferred,
        "required" => MySqlConnector.MySqlSslMode.Required,
        "verify-ca" => MySqlConnector.MySqlSslMode.VerifyCA,
        "verify-full" => MySqlConnector.MySqlSslMode.VerifyFull,
        _ => MySqlConnector.MySqlSslMode.Disabled,
    };
}
