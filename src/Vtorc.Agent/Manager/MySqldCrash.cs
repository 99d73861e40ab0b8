using System.Globalization;

namespace Vtorc.Agent.Manager;

/// <summary>
/// Kills this tablet's mysqld with SIGKILL, on purpose (docs/reliability.md, "Unacknowledged commits of an old
/// primary"): the only way to take back, on MariaDB, commits that are in the binary log but were never acknowledged.
/// The process is found through the server's own pid file, so the agent must run on mysqld's host; a process whose
/// name is not mariadbd or mysqld is never touched (a stale pid file may name anything).
/// </summary>
internal static class MySqldCrash
{
    private static readonly TimeSpan ExitPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>Kills the mysqld whose pid file is <paramref name="pidFilePath"/> and waits until it has exited; returns its pid.</summary>
    /// <exception cref="InvalidOperationException">The pid file cannot be read here, or names no mysqld; the message says which.</exception>
    public static async Task<int> KillAsync(string pidFilePath, TimeProvider time, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(pidFilePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read mysqld's pid file {pidFilePath} on this host ({e.Message}); is the agent on mysqld's host?", e);
        }
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            throw new InvalidOperationException($"mysqld's pid file {pidFilePath} holds \"{text.Trim()}\", not a process id");
        }
        var name = ProcessName(pid);
        if (name is not ("mariadbd" or "mysqld"))
        {
            throw new InvalidOperationException($"mysqld's pid file {pidFilePath} names pid {pid}, which is {(name is null ? "not running" : $"\"{name}\"")}, not mariadbd or mysqld");
        }
        var started = StartTicks(pid);
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill();
        }
        // Until it has exited, it may still hold its port and answer: the fence is only done when it is gone.
        while (StartTicks(pid) is { } ticks && ticks == started)
        {
            await Task.Delay(ExitPoll, time, cancellationToken).ConfigureAwait(false);
        }
        return pid;
    }

    private static string? ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The process's start time in clock ticks (field 22 of /proc/pid/stat); null once it has exited or is a zombie.</summary>
    private static long? StartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name in parentheses may hold spaces: fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[0] is "Z" or "X" ? null : long.Parse(fields[19], CultureInfo.InvariantCulture);
    }
}
