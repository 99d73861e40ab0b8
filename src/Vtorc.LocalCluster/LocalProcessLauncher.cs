using System.Diagnostics;
using System.Globalization;

namespace Vtorc.LocalCluster;

/// <summary>
/// Starts the processes of a <c>vtorc local</c> cluster detached (<see cref="DetachedProcess"/>), records each one in the
/// state file before waiting for it (so a failed start is still stopped by <c>down</c>), and waits until it is ready.
/// </summary>
public sealed class LocalProcessLauncher(LocalClusterState state)
{
    public const string DaemonReadyLine = "vtorc: running;";

    private static readonly TimeSpan EtcdStartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MySqldStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AgentStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DaemonStartTimeout = TimeSpan.FromSeconds(60);

    // etcd 3.4 logs this once it serves its client URL.
    private const string EtcdReadyLine = "ready to serve client requests";

    public LocalClusterState State { get; } = state;

    public string EtcdDirectory => Path.Combine(State.Directory, "etcd");

    public string MySqlDirectory(uint uid) => Path.Combine(State.Directory, "mysql-" + uid.ToString(CultureInfo.InvariantCulture));

    public string AgentLogPath(uint uid) => Path.Combine(State.Directory, "agent-" + uid.ToString(CultureInfo.InvariantCulture) + ".log");

    public string DaemonLogPath => Path.Combine(State.Directory, "vtorc.log");

    /// <summary>Starts etcd on two free ports of <paramref name="host"/> (loopback by default) and records its endpoint.</summary>
    public async Task<LocalProcessRecord> StartEtcdAsync(CancellationToken cancellationToken, string host = "127.0.0.1")
    {
        var ports = LoopbackPorts.PickFree(2);
        var options = new EtcdProcessOptions { Name = "vtorc-local", Host = host };
        var info = EtcdProcess.DetachedStartInfo(options, EtcdDirectory, ports[0], ports[1]);
        var log = Path.Combine(EtcdDirectory, "etcd.log");
        State.EtcdEndpoint = $"{host}:{ports[0].ToString(CultureInfo.InvariantCulture)}";
        return await LaunchAsync(LocalProcessKinds.Etcd, "etcd", info, log, log, EtcdReadyLine,
            new() { ["client"] = ports[0], ["peer"] = ports[1] }, EtcdStartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the data directory of <paramref name="tablet"/>'s mysqld and starts it (server id = tablet uid).</summary>
    public async Task<LocalProcessRecord> StartMySqldAsync(LocalTabletRecord tablet, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        var options = new MariaDbProcessOptions
        {
            ServerId = (int)tablet.Uid,
            User = State.MySqlUser,
            Password = State.MySqlPassword,
            BindAddress = tablet.Address,
            ExtraArguments = extraArguments,
        };
        var start = await MariaDbProcess.PrepareDetachedAsync(options, tablet.MySqlDirectory, tablet.MySqlPort, cancellationToken).ConfigureAwait(false);
        return await LaunchAsync(LocalProcessKinds.MySqld, tablet.Alias, InNamespace(start.StartInfo, tablet.NetworkNamespace), start.OutputLogPath, start.ErrorLogPath, MariaDbProcess.ReadyMarker,
            new() { ["mysql"] = tablet.MySqlPort }, MySqldStartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the <c>vtorc tablet</c> agent of <paramref name="tablet"/> on a free gRPC port.</summary>
    public async Task<LocalProcessRecord> StartAgentAsync(LocalTabletRecord tablet, VtorcExecutable executable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        var port = LoopbackPorts.PickFree(1)[0];
        var options = new AgentProcessOptions
        {
            TabletUid = tablet.Uid,
            Cell = tablet.Cell,
            Keyspace = State.Keyspace,
            Shard = tablet.Shard,
            TabletType = tablet.TabletType,
            Hostname = tablet.Address,
            MySqlHost = tablet.Address,
            MySqlPort = tablet.MySqlPort,
            MySqlUser = State.MySqlUser,
            MySqlPassword = State.MySqlPassword,
            ReplicationUser = State.MySqlUser,
            ReplicationPassword = State.MySqlPassword,
            TopoGlobalServerAddress = State.EtcdEndpoint,
            TopoGlobalRoot = State.GlobalRoot,
            Directory = State.Directory,
            Executable = executable,
        };
        var info = InNamespace(AgentProcess.DetachedStartInfo(options, port), tablet.NetworkNamespace);
        var log = AgentLogPath(tablet.Uid);
        return await LaunchAsync(LocalProcessKinds.Agent, tablet.Alias, info, log, log, AgentProcess.ServingLine(tablet.Alias),
            new() { ["grpc"] = port }, AgentStartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the orchestrator daemon (<c>vtorc</c> with <paramref name="arguments"/>) serving HTTP on <paramref name="httpPort"/>.
    /// A second daemon of the same cluster gets its own <paramref name="name"/> (and with it its own log).
    /// </summary>
    public async Task<LocalProcessRecord> StartDaemonAsync(VtorcExecutable executable, IReadOnlyList<string> arguments, int httpPort,
        CancellationToken cancellationToken, string name = "vtorc")
    {
        ArgumentNullException.ThrowIfNull(executable);
        var info = executable.StartInfo(arguments);
        info.WorkingDirectory = State.Directory;
        State.HttpPort = httpPort;
        var log = name == "vtorc" ? DaemonLogPath : Path.Combine(State.Directory, name + ".log");
        return await LaunchAsync(LocalProcessKinds.Daemon, name, info, log, log, DaemonReadyLine,
            new() { ["http"] = httpPort }, DaemonStartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a process that is no longer running again, the same way (same command line and ports).</summary>
    /// <exception cref="InvalidOperationException">It is still running, or did not become ready; the message names it.</exception>
    public Task<LocalProcessRecord> RestartAsync(LocalProcessRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.IsAlive)
        {
            throw new InvalidOperationException($"{record.Kind} {record.Name} (pid {record.Pid}) is still running");
        }
        var timeout = record.Kind switch
        {
            LocalProcessKinds.Etcd => EtcdStartTimeout,
            LocalProcessKinds.MySqld => MySqldStartTimeout,
            LocalProcessKinds.Agent => AgentStartTimeout,
            _ => DaemonStartTimeout,
        };
        return LaunchAsync(record.Kind, record.Name, DetachedProcess.StartInfoFor(record.CommandLine, record.WorkingDirectory), record.LogPath,
            record.ReadyLogPath, record.ReadyMarker, record.Ports, timeout, cancellationToken);
    }

    /// <summary>The same command run inside network namespace <paramref name="name"/> (<c>ip netns exec</c>, which execs it: same pid).</summary>
    private static ProcessStartInfo InNamespace(ProcessStartInfo info, string? name)
    {
        if (name is null)
        {
            return info;
        }
        var wrapped = DetachedProcess.StartInfoFor(["/usr/sbin/ip", "netns", "exec", name, info.FileName, .. info.ArgumentList], info.WorkingDirectory);
        foreach (var (key, value) in info.Environment)
        {
            wrapped.Environment[key] = value;
        }
        return wrapped;
    }

    private async Task<LocalProcessRecord> LaunchAsync(string kind, string name, ProcessStartInfo info, string logPath, string readyLogPath,
        string readyMarker, Dictionary<string, int> ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var offset = LogFiles.Length(readyLogPath);
        var identity = DetachedProcess.Start(info, logPath);
        var record = new LocalProcessRecord
        {
            Kind = kind,
            Name = name,
            Pid = identity.Pid,
            StartTicks = identity.StartTicks,
            Ports = ports,
            CommandLine = DetachedProcess.CommandLine(info),
            WorkingDirectory = string.IsNullOrEmpty(info.WorkingDirectory) ? null : info.WorkingDirectory,
            LogPath = logPath,
            ReadyLogPath = readyLogPath,
            ReadyMarker = readyMarker,
        };
        State.Put(record);
        State.Save();
        await DetachedProcess.WaitForLogLineAsync(identity, $"{kind} {name}", readyLogPath, offset, readyMarker, timeout, cancellationToken)
            .ConfigureAwait(false);
        return record;
    }
}
