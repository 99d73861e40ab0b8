using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Vtorc.Protocol.Etcd;

namespace Vtorc.LocalCluster;

/// <summary>
/// A real single-member etcd on free loopback ports with its own temp directory, for tests, benchmarks and the
/// local cluster. The directory holds the data dir and the log; disposing kills the process and deletes it.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable, IDisposable
{
    private const int MaxPortAttempts = 4;
    private const int Sigterm = 15;

    private readonly EtcdProcessOptions _options;
    private readonly object _logLock = new();
    private Process? _process;
    private StreamWriter? _log;
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

    /// <summary>"127.0.0.1:port", the form Vitess flags and CellInfo.server_address use (https implied when TLS is on).</summary>
    public string Endpoint => $"127.0.0.1:{ClientPort}";

    public string ClientUrl => $"{(_options.ClientTls is null ? "http" : "https")}://127.0.0.1:{ClientPort}";

    /// <summary>The running etcd's pid, or null when it is not running.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

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
                (etcd.ClientPort, etcd.PeerPort) = PickFreePorts();
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
    public void Kill()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
    }

    /// <summary>SIGTERM by pid, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }
        _ = SendSignal(process.Id, Sigterm);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace ?? TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
        }
    }

    /// <summary>The last lines of etcd's log, for error messages.</summary>
    public string LogTail(int lines = 30)
    {
        lock (_logLock)
        {
            _log?.Flush();
        }
        if (!File.Exists(LogPath))
        {
            return "(no log)";
        }
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.TakeLast(lines));
    }

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
        Kill();
        _process?.Dispose();
        _process = null;
        CloseLog();
        TryDeleteRoot();
    }

    private async Task LaunchAndWaitAsync(CancellationToken cancellationToken)
    {
        OpenLog();
        _process?.Dispose();
        _process = null;
        var process = new Process { StartInfo = BuildStartInfo(), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        if (!process.Start())
        {
            throw new EtcdStartException($"etcd \"{_options.ExecutablePath}\" did not start", portClash: false);
        }
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync(process, cancellationToken).ConfigureAwait(false);
    }

    private ProcessStartInfo BuildStartInfo()
    {
        var peerUrl = $"http://127.0.0.1:{PeerPort}";
        var info = new ProcessStartInfo(_options.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
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

    private async Task WaitUntilAnsweringAsync(Process process, CancellationToken cancellationToken)
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

    private static (int Client, int Peer) PickFreePorts()
    {
        // Both listeners are held open together so the two ports differ, then released for etcd to bind.
        using var client = new TcpListener(IPAddress.Loopback, 0);
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        client.Start();
        peer.Start();
        var ports = (((IPEndPoint)client.LocalEndpoint).Port, ((IPEndPoint)peer.LocalEndpoint).Port);
        client.Stop();
        peer.Stop();
        return ports;
    }

    private void ResetDataDirectory()
    {
        Kill();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private void OpenLog()
    {
        lock (_logLock)
        {
            _log ??= new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                AutoFlush = false,
            };
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    private void CloseLog()
    {
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
