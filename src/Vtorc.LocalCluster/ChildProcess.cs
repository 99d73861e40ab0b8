using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vtorc.LocalCluster;

/// <summary>
/// One process we started (etcd, mariadbd, an agent): its stdout and stderr appended to a log file, stopped by
/// its pid with SIGTERM (clean shutdown) or SIGKILL (a crash), never left running after Dispose.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int Sigterm = 15;

    private readonly Process _process;
    private readonly object _logLock = new();
    private StreamWriter? _log;

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="startInfo"/> with its output appended to <paramref name="outputLogPath"/>.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started; the message names it.</exception>
    public static ChildProcess Start(ProcessStartInfo startInfo, string outputLogPath)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        var log = new StreamWriter(new FileStream(outputLogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            AutoFlush = true,
        };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, log);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"\"{startInfo.FileName}\" did not start");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            child.Dispose();
            throw new InvalidOperationException($"\"{startInfo.FileName}\" could not be started: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL by pid and wait for the exit.</summary>
    public void Kill()
    {
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM by pid, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, Sigterm);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
        }
    }

    /// <summary>Kills the process if it still runs and closes its log.</summary>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void Append(string? line)
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
