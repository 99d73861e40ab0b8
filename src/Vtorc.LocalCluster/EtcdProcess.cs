using System.Diagnostics;
using Vtorc.Protocol.Etcd;

namespace Vtorc.LocalCluster;

/// <summary>
/// A real single-member etcd on free loopback ports with its own temp directory, for tests, benchmarks and the
/// local cluster. The directory holds the data dir and the log; disposing kills the process and deletes it.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable, IDisposable
{
    private const int MaxPortAttempts = 4;

    private readonly EtcdProcessOptions _options;
    private ChildProcess? _process;
    private bool _disposed;

    private EtcdProcess(EtcdProcessOptions options, string rootDirectory)
    {
        _options = options;
        RootDirectory = rootDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        LogPath = Path.Combine(rootDirectory, "etcd.log");
    }

    /// <summary>The temp directory this instance owns (deleted on dispose).</summary>
    public string RootDirectory { get; }

    public string DataDirectory { get; }

    /// <summary>etcd's stdout and stderr, appended across restarts.</summary>
    public string LogPath { get; }

    public int ClientPort { get; private set; }

    public int PeerPort { get; private set; }

    /// <summary>"host:port" (127.0.0.1 unless <see cref="EtcdProcessOptions.Host"/> says otherwise), the form Vitess flags and CellInfo.server_address use (https implied when TLS is on).</summary>
    public string Endpoint => $"{_options.Host}:{ClientPort}";

    public string ClientUrl => $"{(_options.ClientTls is null ? "http" : "https")}://{_options.Host}:{ClientPort}";

    /// <summary>The running etcd's pid, or null when it is not running.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Pid : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts etcd and returns once it answers requests.</summary>
    public static async Task<EtcdProcess> StartAsync(EtcdProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EtcdProcessOptions();
        if (!File.Exists(options.ExecutablePath))
        {
            throw new FileNotFoundException(
                $"etcd binary \"{options.ExecutablePath}\" not found (install Debian's etcd-server package)", options.ExecutablePath);
        }

        var root = Path.Combine(options.ParentDirectory ?? Path.GetTempPath(), "vtorc-etcd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var etcd = new EtcdProcess(options, root);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var ports = LoopbackPorts.PickFree(2);
                (etcd.ClientPort, etcd.PeerPort) = (ports[0], ports[1]);
                try
                {
                    await etcd.LaunchAndWaitAsync(cancellationToken).ConfigureAwait(false);
                    return etcd;
                }
                catch (EtcdStartException e) when (e.PortClash && attempt < MaxPortAttempts)
                {
                    // Another process took one of the ports between our probe and etcd's bind: pick again.
                    etcd.ResetDataDirectory();
                }
            }
        }
        catch
        {
            await etcd.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The command line this class would run for an etcd keeping its data in <paramref name="rootDirectory"/>/data on the
    /// given ports, for a launcher that does not own the process (<see cref="DetachedProcess"/>, <c>vtorc local up</c>).
    /// </summary>
    public static ProcessStartInfo DetachedStartInfo(EtcdProcessOptions options, string rootDirectory, int clientPort, int peerPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.ExecutablePath))
        {
            throw new FileNotFoundException(
                $"etcd binary \"{options.ExecutablePath}\" not found (install Debian's etcd-server package)", options.ExecutablePath);
        }
        Directory.CreateDirectory(rootDirectory);
        var etcd = new EtcdProcess(options, rootDirectory) { ClientPort = clientPort, PeerPort = peerPort };
        return etcd.BuildStartInfo();
    }

    /// <summary>Starts etcd again on the same ports and data directory after a stop or kill.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"etcd at {Endpoint} (pid {Pid}) is still running");
        }
        return LaunchAndWaitAsync(cancellationToken);
    }

    /// <summary>SIGKILL by pid and wait for the exit: the "etcd died" case.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGTERM by pid, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default) =>
        _process?.StopAsync(grace ?? TimeSpan.FromSeconds(10), cancellationToken) ?? Task.CompletedTask;

    /// <summary>The last lines of etcd's log, for error messages.</summary>
    public string LogTail(int lines = 30) => LogFiles.Tail(LogPath, lines);

    /// <summary>A client for this etcd, using the fixture's client certificate when TLS is on.</summary>
    public EtcdClient CreateClient(TimeSpan? callTimeout = null) => new(ClientOptions(callTimeout ?? TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));

    private EtcdClientOptions ClientOptions(TimeSpan callTimeout, TimeSpan dialTimeout) => new()
    {
        Endpoints = [Endpoint],
        DefaultCallTimeout = callTimeout,
        DialTimeout = dialTimeout,
        TlsCertPath = _options.ClientTls?.ClientCertPath,
        TlsKeyPath = _options.ClientTls?.ClientKeyPath,
        TlsCaPath = _options.ClientTls?.CaPath,
    };

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Kills etcd (SIGKILL: its data is thrown away anyway) and deletes the temp directory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _process?.Dispose();
        _process = null;
        TryDeleteRoot();
    }

    private async Task LaunchAndWaitAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        _process = null;
        try
        {
            _process = ChildProcess.Start(BuildStartInfo(), LogPath);
        }
        catch (InvalidOperationException e)
        {
            throw new EtcdStartException($"etcd: {e.Message}", portClash: false);
        }

        await WaitUntilAnsweringAsync(_process, cancellationToken).ConfigureAwait(false);
    }

    private ProcessStartInfo BuildStartInfo()
    {
        var peerUrl = $"http://{_options.Host}:{PeerPort}";
        var info = new ProcessStartInfo(_options.ExecutablePath)
        {
            WorkingDirectory = RootDirectory,
        };
        string[] args =
        [
            "--name", _options.Name,
            "--data-dir", DataDirectory,
            "--listen-client-urls", ClientUrl,
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"{_options.Name}={peerUrl}",
            "--initial-cluster-state", "new",
            "--initial-cluster-token", Path.GetFileName(RootDirectory),
            "--heartbeat-interval", _options.HeartbeatIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--election-timeout", _options.ElectionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (_options.ClientTls is { } tls)
        {
            args =
            [
                .. args,
                "--cert-file", tls.ServerCertPath,
                "--key-file", tls.ServerKeyPath,
                "--trusted-ca-file", tls.CaPath,
                "--client-cert-auth",
            ];
        }
        foreach (var arg in args.Concat(_options.ExtraArguments))
        {
            info.ArgumentList.Add(arg);
        }
        // Debian's etcd reads ETCD_* variables as flags; keep the caller's environment from leaking in.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ETCD_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        return info;
    }

    private async Task WaitUntilAnsweringAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        await using var client = new EtcdClient(ClientOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Exception? lastError = null;
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                var tail = LogTail();
                throw new EtcdStartException(
                    $"etcd exited with code {process.ExitCode} while starting on {Endpoint} (peer port {PeerPort}); log {LogPath}:\n{tail}",
                    portClash: tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase));
            }
            try
            {
                await client.StatusAsync(timeout: TimeSpan.FromSeconds(2), cancellationToken: deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (EtcdException e) when (!deadline.IsCancellationRequested)
            {
                lastError = e;
            }
            catch (Exception e) when (deadline.IsCancellationRequested)
            {
                Kill();
                cancellationToken.ThrowIfCancellationRequested();
                throw new EtcdStartException(
                    $"etcd on {Endpoint} did not answer within {_options.StartTimeout.TotalSeconds:0.#} s (last error: {(lastError ?? e).Message}); log {LogPath}:\n{LogTail()}",
                    portClash: false);
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Loop once more: the next attempt reports the timeout with the log tail.
            }
        }
    }

    private void ResetDataDirectory()
    {
        Kill();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private void TryDeleteRoot()
    {
        try
        {
            if (Directory.Exists(RootDirectory))
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A straggling file handle only leaves a temp directory behind; not worth failing a test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
