using System.Diagnostics;
using System.Globalization;

namespace Vtorc.Topo.Tests.Etcd;

/// <summary>Starts tests/Vtorc.Topo.LockHolder (copied next to the tests) as a separate OS process.</summary>
public sealed class LockHolderProcess : IAsyncDisposable
{
    private LockHolderProcess(Process process) => Process = process;

    public Process Process { get; }

    public int Pid => Process.Id;

    public static LockHolderProcess Start(string mode, string endpoint, string globalRoot, string keyspace, string shard, string file, int iterations, int ttlSeconds)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Vtorc.Topo.LockHolder.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, mode, endpoint, globalRoot, keyspace, shard, file,
                     iterations.ToString(CultureInfo.InvariantCulture), ttlSeconds.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        return new LockHolderProcess(process);
    }

    /// <summary>The next stdout line (e.g. "acquired 123"), or a failure with stderr when the process ends first.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = await Process.StandardOutput.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            var error = await Process.StandardError.ReadToEndAsync(cancellationToken);
            throw new InvalidOperationException($"lock holder {Pid} ended without output; stderr: {error}");
        }

        return line;
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await Process.WaitForExitAsync(cancellationToken);
        return Process.ExitCode;
    }

    public async Task<string> StandardErrorAsync() => await Process.StandardError.ReadToEndAsync();

    /// <summary>SIGKILL by pid: the holder gets no chance to release anything.</summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: false);
            Process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Process.Dispose();
        return ValueTask.CompletedTask;
    }
}
