using System.Diagnostics;
using System.Globalization;
using Vtorc.LocalCluster;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// One real orchestrator (the built <c>vtorc</c> program, as the chaos run starts it) watching the simulated fleet,
/// as a child process whose CPU and memory are measured apart from the simulator's.
/// </summary>
internal sealed class FleetDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;

    private FleetDaemon(string name, ChildProcess process, int httpPort, string logPath)
    {
        Name = name;
        _process = process;
        HttpPort = httpPort;
        LogPath = logPath;
        Usage = new ProcessUsage(process.Pid);
    }

    public string Name { get; }

    public int HttpPort { get; }

    public string LogPath { get; }

    public ProcessUsage Usage { get; }

    public int Pid => _process.Pid;

    /// <param name="nice">When set, the daemon is started through nice(1) at this nice value (see <see cref="FleetOptions.DaemonNice"/>).</param>
    public static async Task<FleetDaemon> StartAsync(string name, string etcdEndpoint, TimeSpan poll, IReadOnlyList<string> extraFlags,
        int? nice, string directory, CancellationToken cancellationToken)
    {
        var executable = VtorcExecutable.Locate();
        int port = LoopbackPorts.PickFree(1)[0];
        string[] args =
        [
            "--topo-implementation", "etcd2",
            "--topo-global-server-address", etcdEndpoint,
            "--topo-global-root", FleetLayout.GlobalRoot,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind-address", "127.0.0.1",
            "--instance-poll-time", poll.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s",
            "--shutdown-wait-time", "1s",
            .. extraFlags,
        ];
        var info = executable.StartInfo(args);
        if (nice is { } value)
        {
            // nice(1) executes the program in its own process, so the pid measured stays the daemon's.
            string program = info.FileName;
            info.FileName = "nice";
            info.ArgumentList.Insert(0, program);
            info.ArgumentList.Insert(0, value.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Insert(0, "-n");
        }
        info.WorkingDirectory = directory;
        var log = Path.Combine(directory, name + ".log");
        var process = ChildProcess.Start(info, log);
        var daemon = new FleetDaemon(name, process, port, log);
        var clock = Stopwatch.StartNew();
        while (!ReadyLineWritten(log))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} while starting; log {log}:\n{LogFiles.Tail(log, 30)}");
            }
            if (clock.Elapsed > StartTimeout)
            {
                await daemon.DisposeAsync();
                throw new TimeoutException($"{name} did not log \"{LocalProcessLauncher.DaemonReadyLine}\" within {StartTimeout.TotalSeconds:0} s; log {log}");
            }
            await Task.Delay(200, cancellationToken);
        }
        return daemon;
    }

    private static bool ReadyLineWritten(string log)
    {
        try
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains(LocalProcessLauncher.DaemonReadyLine, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
