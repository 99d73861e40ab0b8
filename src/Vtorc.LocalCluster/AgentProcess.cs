using System.Globalization;
using System.Text.Json;
using Tabletmanagerdata;
using Grpc.Core;
using Grpc.Net.Client;
using Vtorc.Protocol.Rpc;
using static Tabletmanagerservice.TabletManager;
using Vtorc.Topo;

namespace Vtorc.LocalCluster;

/// <summary>
/// One tablet agent running as its own OS process (<c>vtorc tablet …</c>), so that a crash is a real SIGKILL by pid
/// and a clean stop a real SIGTERM. Start-up returns once the agent has registered its Tablet record with its gRPC
/// port, finished starting (a stale primary has demoted itself) and answers Ping.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private const int PortAttempts = 3;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(10);

    private readonly ChildProcess _child;
    private bool _disposed;
    private int? _exitCode;

    private AgentProcess(ChildProcess child, AgentProcessOptions options, int grpcPort, string logPath, string credentialsPath)
    {
        _child = child;
        Pid = child.Pid;
        Options = options;
        GrpcPort = grpcPort;
        LogPath = logPath;
        CredentialsPath = credentialsPath;
    }

    public AgentProcessOptions Options { get; }

    public int Pid { get; }

    public bool HasExited => _disposed || _child.HasExited;

    /// <summary>The exit code once the process has exited (kept after dispose), else null.</summary>
    public int? ExitCode => _disposed ? _exitCode : _child.HasExited ? _child.ExitCode : null;

    public int GrpcPort { get; }

    /// <summary>"host:port" of the agent's TabletManager service.</summary>
    public string GrpcAddress => $"{Options.Hostname}:{GrpcPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The agent's stdout and stderr (appended across restarts).</summary>
    public string LogPath { get; }

    /// <summary>The 0600 file the agent reads its MySQL accounts from.</summary>
    public string CredentialsPath { get; }

    /// <summary>
    /// Starts <c>vtorc tablet</c> and waits until it serves. <paramref name="topo"/> is the caller's view of the
    /// topology, used to watch the registration.
    /// </summary>
    /// <exception cref="AgentStartException">The agent exited or did not become ready in time; the message holds its log tail.</exception>
    public static async Task<AgentProcess> StartAsync(AgentProcessOptions options, TopoServer topo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topo);
        var executable = options.Executable ?? VtorcExecutable.Locate();
        Directory.CreateDirectory(options.Directory);
        var credentials = Path.Combine(options.Directory, $"agent-{options.TabletUid.ToString(CultureInfo.InvariantCulture)}-credentials.json");
        var log = LogPathFor(options.Directory, options.TabletUid);
        WriteCredentials(credentials, options);

        for (var attempt = 1; ; attempt++)
        {
            var port = options.GrpcPort != 0 ? options.GrpcPort : LoopbackPorts.PickFree(1)[0];
            var logOffset = LogFiles.Length(log);
            var startedAt = DateTimeOffset.UtcNow;
            var child = ChildProcess.Start(executable.StartInfo(Arguments(options, port, credentials)), log);
            var agent = new AgentProcess(child, options, port, log, credentials);
            try
            {
                await agent.WaitUntilServingAsync(topo, startedAt, logOffset, cancellationToken).ConfigureAwait(false);
                return agent;
            }
            catch (AgentStartException) when (options.GrpcPort == 0 && attempt < PortAttempts && child.HasExited
                && LogFiles.ReadFrom(log, logOffset).Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took the port between our pick and the agent's bind: pick again.
                child.Dispose();
            }
            catch
            {
                child.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Writes the agent's credentials file into <see cref="AgentProcessOptions.Directory"/> and returns the <c>vtorc tablet</c>
    /// command line on <paramref name="grpcPort"/>, for a launcher that does not own the process (<see cref="DetachedProcess"/>).
    /// Ready once its log holds <see cref="ServingLine"/>.
    /// </summary>
    public static System.Diagnostics.ProcessStartInfo DetachedStartInfo(AgentProcessOptions options, int grpcPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        var executable = options.Executable ?? VtorcExecutable.Locate();
        Directory.CreateDirectory(options.Directory);
        var credentials = Path.Combine(options.Directory, $"agent-{options.TabletUid.ToString(CultureInfo.InvariantCulture)}-credentials.json");
        WriteCredentials(credentials, options);
        var info = executable.StartInfo(Arguments(options, grpcPort, credentials));
        info.WorkingDirectory = options.Directory;
        return info;
    }

    /// <summary>What <c>vtorc tablet</c> prints once start-up is complete, including a stale primary's self-demotion.</summary>
    public static string ServingLine(string aliasText) => $"tablet {aliasText} serving on";

    /// <summary>Where the agent of tablet uid <paramref name="uid"/> logs when its files are kept in <paramref name="directory"/>.</summary>
    public static string LogPathFor(string directory, uint uid) =>
        Path.Combine(directory, $"agent-{uid.ToString(CultureInfo.InvariantCulture)}.log");

    /// <summary>The crash: SIGKILL by pid, then wait for the exit. The topology keeps what the agent last wrote.</summary>
    public void Kill() => _child.Kill();

    /// <summary>The clean shutdown: SIGTERM by pid, wait up to <paramref name="grace"/> for the exit, then SIGKILL.</summary>
    public Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default) => _child.StopAsync(grace, cancellationToken);

    /// <summary>The last lines of the agent's log, for error messages.</summary>
    public string LogTail(int lines = 30) => LogFiles.Tail(LogPath, lines);

    /// <summary>SIGTERM (clean shutdown) if it still runs, SIGKILL after a grace period; removes the credentials file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        try
        {
            await _child.StopAsync(DisposeGrace).ConfigureAwait(false);
        }
        finally
        {
            _child.Kill();
            _exitCode = _child.ExitCode;
            _disposed = true;
            _child.Dispose();
            File.Delete(CredentialsPath);
        }
    }

    private async Task WaitUntilServingAsync(TopoServer topo, DateTimeOffset startedAt, long logOffset, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.StartTimeout);
        using var channel = RpcChannels.Create(GrpcAddress);
        var alias = TabletAliases.Create(Options.Cell, Options.TabletUid);
        // Printed by `vtorc tablet` once start-up is complete, including a stale primary's self-demotion.
        var servingLine = $"tablet {Options.AliasText} serving on";
        var waitingFor = "the agent to start";
        try
        {
            while (true)
            {
                if (_child.HasExited)
                {
                    throw new AgentStartException(
                        $"vtorc tablet {Options.AliasText} (pid {Pid}) exited with code {_child.ExitCode} while starting; log {LogPath}:\n{LogTail()}");
                }
                if (!LogFiles.ReadFrom(LogPath, logOffset).Contains(servingLine, StringComparison.Ordinal))
                {
                    waitingFor = $"\"{servingLine}\" in its log";
                }
                else if (!await IsRegisteredAsync(topo, alias, startedAt, deadline.Token).ConfigureAwait(false))
                {
                    waitingFor = $"its Tablet record with grpc port {GrpcPort} and a start time after {startedAt:O}";
                }
                else if (!await AnswersPingAsync(channel, deadline.Token).ConfigureAwait(false))
                {
                    waitingFor = $"an answer to Ping on {GrpcAddress}";
                }
                else
                {
                    return;
                }
                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentStartException(
                $"vtorc tablet {Options.AliasText} (pid {Pid}) did not become ready within {Options.StartTimeout.TotalSeconds:0} s "
                + $"(waiting for {waitingFor}); log {LogPath}:\n{LogTail()}");
        }
    }

    private async Task<bool> IsRegisteredAsync(TopoServer topo, Topodata.TabletAlias alias, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var record = (await topo.Tablets.TryGetAsync(alias, cancellationToken).ConfigureAwait(false))?.Value;
        // The start time tells this run's record from the one a previous run left behind on the same port.
        return record is not null
            && record.PortMap.TryGetValue("grpc", out var port) && port == GrpcPort
            && record.TabletStartTime is { } start && start.Seconds >= startedAt.ToUnixTimeSeconds();
    }

    private static async Task<bool> AnswersPingAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            var response = await new TabletManagerClient(channel).PingAsync(new PingRequest { Payload = "agent-process" },
                deadline: DateTime.UtcNow + PingTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Payload == "agent-process";
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    internal static IEnumerable<string> Arguments(AgentProcessOptions options, int grpcPort, string credentialsPath) =>
    [
        "tablet",
        "--tablet-uid", options.TabletUid.ToString(CultureInfo.InvariantCulture),
        "--cell", options.Cell,
        "--keyspace", options.Keyspace,
        "--shard", options.Shard,
        "--tablet-type", options.TabletType,
        "--tablet-hostname", options.Hostname,
        "--grpc-port", grpcPort.ToString(CultureInfo.InvariantCulture),
        "--mysql-host", options.MySqlHost,
        "--mysql-port", options.MySqlPort.ToString(CultureInfo.InvariantCulture),
        "--mysql-credentials-file", credentialsPath,
        "--topo-implementation", "etcd2",
        "--topo-global-server-address", options.TopoGlobalServerAddress,
        "--topo-global-root", options.TopoGlobalRoot,
        .. options.ExtraArguments,
    ];

    /// <summary>Creates the file readable by its owner only before any secret is written to it.</summary>
    internal static void WriteCredentials(string path, AgentProcessOptions options)
    {
        File.Delete(path);
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            mode.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, mode);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("user", options.MySqlUser);
        json.WriteString("password", options.MySqlPassword);
        json.WriteString("replication_user", options.ReplicationUser);
        json.WriteString("replication_password", options.ReplicationPassword);
        json.WriteEndObject();
    }
}
