using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vtorc.LocalCluster;

/// <summary>
/// Starts processes that outlive the program starting them (the local cluster of <c>vtorc local up</c>): each runs in a
/// new session (setsid), reads /dev/null and appends stdout and stderr straight to its log file, so no pipe to us breaks
/// when we exit. They are found again, signalled and waited for by <see cref="ProcessIdentity"/> alone.
/// </summary>
public static class DetachedProcess
{
    private const int Sigkill = 9;
    private const int Sigterm = 15;
    private const int Sigcont = 18;
    private const int Sigstop = 19;
    private const string SetsidPath = "/usr/bin/setsid";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    // sh replaces itself with setsid, which replaces itself with the program: one pid from start to end. setsid only
    // forks when it is a process group leader, which a child we spawn never is.
    private const string Launcher = "log=$1; shift; exec \"$0\" \"$@\" </dev/null >>\"$log\" 2>&1";

    /// <summary>Starts <paramref name="startInfo"/> (program, arguments, working directory, environment) detached.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started; the message names the program and the log.</exception>
    public static ProcessIdentity Start(ProcessStartInfo startInfo, string logPath)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        if (!File.Exists(SetsidPath))
        {
            throw new InvalidOperationException($"\"{SetsidPath}\" not found (install Debian's util-linux package)");
        }
        var wrapper = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = startInfo.WorkingDirectory };
        foreach (var argument in (string[])["-c", Launcher, SetsidPath, logPath, startInfo.FileName, .. startInfo.ArgumentList])
        {
            wrapper.ArgumentList.Add(argument);
        }
        wrapper.Environment.Clear();
        foreach (var (name, value) in startInfo.Environment)
        {
            wrapper.Environment[name] = value;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        using var process = new Process { StartInfo = wrapper };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"\"{startInfo.FileName}\" could not be started (log {logPath}): {e.Message}", e);
        }
        return ProcessIdentity.TryRead(process.Id)
            ?? throw new InvalidOperationException($"\"{startInfo.FileName}\" exited at once; log {logPath}:\n{LogFiles.Tail(logPath)}");
    }

    /// <summary>The command line as one readable string (for the state file and messages).</summary>
    public static IReadOnlyList<string> CommandLine(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        return [startInfo.FileName, .. startInfo.ArgumentList];
    }

    /// <summary>A start info that runs <paramref name="commandLine"/> (program first) in <paramref name="workingDirectory"/>.</summary>
    public static ProcessStartInfo StartInfoFor(IReadOnlyList<string> commandLine, string? workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        if (commandLine.Count == 0)
        {
            throw new ArgumentException("the command line is empty", nameof(commandLine));
        }
        var info = new ProcessStartInfo(commandLine[0]) { UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in commandLine.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    /// <summary>SIGKILL, then wait (at most 10 s) until it is gone. Returns false when it was not running.</summary>
    public static async Task<bool> KillAsync(ProcessIdentity process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.IsAlive)
        {
            return false;
        }
        _ = SendSignal(process.Pid, Sigkill);
        await WaitForExitAsync(process, KillWait, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// SIGTERM (a clean shutdown), SIGKILL if it still runs after <paramref name="grace"/>. Returns how it ended, or null
    /// when it was not running.
    /// </summary>
    public static async Task<DetachedStopOutcome?> StopAsync(ProcessIdentity process, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.IsAlive)
        {
            return null;
        }
        _ = SendSignal(process.Pid, Sigterm);
        if (await WaitForExitAsync(process, grace, cancellationToken).ConfigureAwait(false))
        {
            return DetachedStopOutcome.Terminated;
        }
        if (!process.IsAlive)
        {
            return DetachedStopOutcome.Terminated;
        }
        _ = SendSignal(process.Pid, Sigkill);
        return await WaitForExitAsync(process, KillWait, cancellationToken).ConfigureAwait(false)
            ? DetachedStopOutcome.Killed
            : throw new InvalidOperationException($"pid {process.Pid} is still running {KillWait.TotalSeconds:0} s after SIGKILL");
    }

    /// <summary>SIGSTOP (a frozen process: a stalled host). False when it was not running.</summary>
    public static bool Pause(ProcessIdentity process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return process.IsAlive && SendSignal(process.Pid, Sigstop) == 0;
    }

    /// <summary>SIGCONT after <see cref="Pause"/>. False when it was not running.</summary>
    public static bool Resume(ProcessIdentity process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return process.IsAlive && SendSignal(process.Pid, Sigcont) == 0;
    }

    /// <summary>Polls until the process is gone; false when it still runs after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(ProcessIdentity process, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        var deadline = DateTime.UtcNow + timeout;
        while (process.IsAlive)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// Waits until <paramref name="marker"/> appears in <paramref name="logPath"/> after byte <paramref name="logOffset"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process exited or the marker did not appear in time; the message names the log and holds its tail.</exception>
    public static async Task WaitForLogLineAsync(ProcessIdentity process, string what, string logPath, long logOffset, string marker, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (LogFiles.ReadFrom(logPath, logOffset).Contains(marker, StringComparison.Ordinal))
            {
                return;
            }
            if (!process.IsAlive)
            {
                throw new InvalidOperationException($"{what} (pid {process.Pid}) exited while starting; log {logPath}:\n{LogFiles.Tail(logPath, 20)}");
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException(
                    $"{what} (pid {process.Pid}) did not log \"{marker}\" within {timeout.TotalSeconds:0} s; log {logPath}:\n{LogFiles.Tail(logPath, 20)}");
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
