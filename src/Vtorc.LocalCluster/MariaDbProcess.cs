using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vtorc.LocalCluster;

/// <summary>
/// A real MariaDB server on a free loopback port with its own directory (data dir, unix socket, logs), binary
/// logging with GTIDs in strict mode, row-based binlogs and log-slave-updates, ready to be a replication primary or
/// replica. It starts read-only, with a semi-sync timeout that never expires. It has an account (<see cref="User"/>/<see cref="Password"/>, all privileges) for agents and replication;
/// root is reachable only through the unix socket without a password. Disposing kills it and deletes the directory.
/// </summary>
public sealed class MariaDbProcess : IAsyncDisposable, IDisposable
{
    private const int MaxPortAttempts = 4;
    private const int MaxUnixSocketPathBytes = 107;
    /// <summary>What the server writes to its error log once it accepts connections.</summary>
    public const string ReadyMarker = "ready for connections";

    private static int _nextServerId = 100;

    private readonly MariaDbProcessOptions _options;
    private ChildProcess? _process;
    private bool _disposed;

    private MariaDbProcess(MariaDbProcessOptions options, string rootDirectory, int serverId)
    {
        _options = options;
        RootDirectory = rootDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        SocketPath = Path.Combine(rootDirectory, "mysqld.sock");
        PidFilePath = Path.Combine(rootDirectory, "mysqld.pid");
        ErrorLogPath = Path.Combine(rootDirectory, "error.log");
        OutputLogPath = Path.Combine(rootDirectory, "mariadbd.out");
        ServerId = serverId;
    }

    /// <summary>The directory this instance owns (deleted on dispose).</summary>
    public string RootDirectory { get; }

    public string DataDirectory { get; }

    /// <summary>The unix socket; root may log in here without a password.</summary>
    public string SocketPath { get; }

    public string PidFilePath { get; }

    /// <summary>The server's error log (--log-error), appended across restarts.</summary>
    public string ErrorLogPath { get; }

    /// <summary>mariadbd's stdout and stderr (normally empty: the server writes to the error log).</summary>
    public string OutputLogPath { get; }

    /// <summary>The address the server listens on and reports to replicas (<see cref="MariaDbProcessOptions.BindAddress"/>).</summary>
    public string Host => _options.BindAddress;

    public int Port { get; private set; }

    /// <summary>"127.0.0.1:port".</summary>
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public int ServerId { get; }

    /// <summary>The account for agents and replication, valid from 'localhost' (socket) and '%' (TCP).</summary>
    public string User => _options.User;

    public string Password => _options.Password;

    /// <summary>The unprivileged account (read_only stops its writes), valid from 'localhost' and '%'.</summary>
    public string AppUser => _options.AppUser;

    public string AppPassword => _options.AppPassword;

    /// <summary>Root's account: unix socket only, no password.</summary>
    public string RootUser => "root";

    /// <summary>The running server's pid, or null when it is not running.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Pid : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Creates a data directory, starts the server and returns once it accepts connections.</summary>
    public static async Task<MariaDbProcess> StartAsync(MariaDbProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MariaDbProcessOptions();
        if (!File.Exists(options.ServerPath))
        {
            throw new FileNotFoundException(
                $"mariadbd \"{options.ServerPath}\" not found (install Debian's mariadb-server package)", options.ServerPath);
        }
        var serverId = options.ServerId ?? Interlocked.Increment(ref _nextServerId);
        if (serverId is < 1)
        {
            throw new ArgumentException($"MariaDB server id {serverId} must be positive", nameof(options));
        }
        var parent = options.ParentDirectory ?? DefaultParentDirectory();
        var root = Path.Combine(parent, "vtorc-mariadb-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new MariaDbProcess(options, root, serverId);
        if (Encoding.UTF8.GetByteCount(server.SocketPath) > MaxUnixSocketPathBytes)
        {
            throw new ArgumentException(
                $"unix socket path \"{server.SocketPath}\" is longer than {MaxUnixSocketPathBytes} bytes; choose a shorter ParentDirectory",
                nameof(options));
        }
        Directory.CreateDirectory(root);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.StartTimeout);
            await MariaDbInstaller.CreateDataDirectoryAsync(options, parent, server.DataDirectory, Path.Combine(root, "install.log"), deadline.Token)
                .ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                server.Port = LoopbackPorts.PickFree(1)[0];
                try
                {
                    await server.LaunchAndWaitAsync(cancellationToken).ConfigureAwait(false);
                    return server;
                }
                catch (MariaDbStartException e) when (e.PortClash && attempt < MaxPortAttempts)
                {
                    // Another process took the port between our probe and the server's bind. Nothing was written to
                    // the binary log yet, but start over from a clean data directory anyway.
                    server.Kill();
                    MariaDbInstaller.TryDelete(server.DataDirectory);
                    await MariaDbInstaller.CreateDataDirectoryAsync(options, parent, server.DataDirectory, Path.Combine(root, "install.log"), deadline.Token)
                        .ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates a data directory in <paramref name="rootDirectory"/>/data (unless one exists) and returns the command line
    /// and paths of a server there on <paramref name="port"/>, for a launcher that does not own the process
    /// (<see cref="DetachedProcess"/>, <c>vtorc local up</c>). The directory is not deleted by this class.
    /// </summary>
    public static async Task<MariaDbDetachedStart> PrepareDetachedAsync(MariaDbProcessOptions options, string rootDirectory, int port,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.ServerPath))
        {
            throw new FileNotFoundException(
                $"mariadbd \"{options.ServerPath}\" not found (install Debian's mariadb-server package)", options.ServerPath);
        }
        var serverId = options.ServerId ?? Interlocked.Increment(ref _nextServerId);
        var server = new MariaDbProcess(options, Path.GetFullPath(rootDirectory), serverId) { Port = port };
        if (Encoding.UTF8.GetByteCount(server.SocketPath) > MaxUnixSocketPathBytes)
        {
            throw new ArgumentException(
                $"unix socket path \"{server.SocketPath}\" is longer than {MaxUnixSocketPathBytes} bytes; choose a shorter directory", nameof(rootDirectory));
        }
        Directory.CreateDirectory(server.RootDirectory);
        if (!Directory.Exists(server.DataDirectory))
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.StartTimeout);
            await MariaDbInstaller.CreateDataDirectoryAsync(options, options.ParentDirectory ?? DefaultParentDirectory(), server.DataDirectory,
                Path.Combine(server.RootDirectory, "install.log"), deadline.Token).ConfigureAwait(false);
        }
        return new MariaDbDetachedStart(server.BuildStartInfo(), server.ErrorLogPath, server.OutputLogPath, server.SocketPath, serverId);
    }

    /// <summary>Starts the server again on the same port and data directory after a stop or kill.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"MariaDB at {Endpoint} (pid {Pid}) is still running");
        }
        return LaunchAndWaitAsync(cancellationToken);
    }

    /// <summary>SIGKILL by pid and wait for the exit: the "mysqld crashed" case.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGTERM by pid (a clean shutdown), then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default) =>
        _process?.StopAsync(grace ?? TimeSpan.FromSeconds(30), cancellationToken) ?? Task.CompletedTask;

    /// <summary>The last lines of the error log, for error messages.</summary>
    public string LogTail(int lines = 30) => File.Exists(ErrorLogPath) ? LogFiles.Tail(ErrorLogPath, lines) : "(no error log)";

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _process?.Dispose();
        _process = null;
        MariaDbInstaller.TryDelete(RootDirectory);
    }

    private async Task LaunchAndWaitAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        _process = null;
        var logOffset = LogFiles.Length(ErrorLogPath);
        try
        {
            _process = ChildProcess.Start(BuildStartInfo(), OutputLogPath);
        }
        catch (InvalidOperationException e)
        {
            throw new MariaDbStartException($"mariadbd: {e.Message}", portClash: false);
        }

        await WaitUntilReadyAsync(_process, logOffset, cancellationToken).ConfigureAwait(false);
    }

    private ProcessStartInfo BuildStartInfo()
    {
        var info = new ProcessStartInfo(_options.ServerPath)
        {
            WorkingDirectory = RootDirectory,
        };
        var port = Port.ToString(CultureInfo.InvariantCulture);
        // Its own tmpdir, as for the install: servers sharing /tmp remove each other's temporary table files.
        var tmp = Path.Combine(RootDirectory, "tmp");
        Directory.CreateDirectory(tmp);
        string[] args =
        [
            "--no-defaults",
            .. MariaDbInstaller.RootUserArgument(),
            $"--datadir={DataDirectory}",
            $"--tmpdir={tmp}",
            $"--socket={SocketPath}",
            $"--port={port}",
            $"--bind-address={Host}",
            $"--pid-file={PidFilePath}",
            $"--log-error={ErrorLogPath}",
            $"--server-id={ServerId.ToString(CultureInfo.InvariantCulture)}",
            "--log-bin=mysql-bin",
            "--relay-log=relay-bin",
            "--log-slave-updates",
            "--binlog-format=ROW",
            "--gtid-strict-mode=1",
            // Every server starts refusing writes from unprivileged clients; only the agent of the shard's primary
            // opens it (docs/reliability.md, "Read-only unless primary").
            "--read-only=ON",
            // Should the primary side of semi-sync be switched on, it never falls back to asynchronous commit
            // (docs/reliability.md, "Semi-sync never degrades silently"); the agent sets the same when it enables it.
            $"--rpl-semi-sync-master-timeout={Vtorc.Agent.Flavors.SemiSyncSettings.InfiniteTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)}",
            "--rpl-semi-sync-master-wait-no-slave=ON",
            // A commit waiting for its acknowledgement stays prepared in InnoDB (not committed, not visible), and a
            // server that crashed with such commits drops them from its binary log when it starts again as a replica
            // (MariaDB's semi-sync replica crash recovery): an old primary whose waiting commits were never
            // acknowledged rejoins its shard instead of diverging from it (docs/reliability.md, "Unacknowledged
            // commits of an old primary").
            "--rpl-semi-sync-master-wait-point=AFTER_SYNC",
            "--rpl-semi-sync-slave-enabled=ON",
            "--init-rpl-role=SLAVE",
            $"--report-host={Host}",
            $"--report-port={port}",
            .. _options.SkipReplicaStart ? new[] { "--skip-slave-start" } : [],
            .. MariaDbInstaller.TuningArguments(_options),
            .. _options.ExtraArguments,
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    /// <summary>
    /// The server logs "ready for connections" once its sockets accept connections; this start's part of the
    /// (appended) error log is watched for it, or for the process exiting.
    /// </summary>
    private async Task WaitUntilReadyAsync(ChildProcess process, long logOffset, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        while (true)
        {
            var log = LogFiles.ReadFrom(ErrorLogPath, logOffset);
            if (log.Contains(ReadyMarker, StringComparison.Ordinal))
            {
                return;
            }
            if (process.HasExited)
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw new MariaDbStartException(
                    $"mariadbd exited with code {process.ExitCode} while starting on {Endpoint}; error log {ErrorLogPath}:\n{LogTail()}",
                    portClash: log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                        || log.Contains("Do you already have another", StringComparison.OrdinalIgnoreCase));
            }
            if (deadline.IsCancellationRequested)
            {
                Kill();
                cancellationToken.ThrowIfCancellationRequested();
                throw new MariaDbStartException(
                    $"mariadbd on {Endpoint} was not ready within {_options.StartTimeout.TotalSeconds:0.#} s; error log {ErrorLogPath}:\n{LogTail()}",
                    portClash: false);
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Look once more, then report the timeout or the caller's cancellation.
            }
        }
    }

    private static string DefaultParentDirectory()
    {
        const string shm = "/dev/shm";
        return Directory.Exists(shm) && IsWritable(shm) ? shm : Path.GetTempPath();
    }

    private static bool IsWritable(string directory)
    {
        var probe = Path.Combine(directory, ".vtorc-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
