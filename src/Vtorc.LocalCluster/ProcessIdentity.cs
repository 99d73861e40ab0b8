using System.Globalization;

namespace Vtorc.LocalCluster;

/// <summary>
/// A process named by its pid and its start time (field 22 of /proc/&lt;pid&gt;/stat, in clock ticks since boot). The
/// start time tells our process from an unrelated one that got the same pid after ours exited, so a state file
/// written long ago never makes us signal a stranger.
/// </summary>
public sealed record ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>The identity of the running process <paramref name="pid"/>, or null when there is none (or only a zombie).</summary>
    public static ProcessIdentity? TryRead(int pid)
    {
        var stat = ReadStat(pid);
        return stat is { State: not 'Z' and not 'X' } s ? new ProcessIdentity(pid, s.StartTicks) : null;
    }

    /// <summary>Whether this very process still runs; a zombie (exited, not yet reaped) counts as gone.</summary>
    public bool IsAlive => ReadStat(Pid) is { State: not 'Z' and not 'X' } s && s.StartTicks == StartTicks;

    private static (char State, long StartTicks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain numbers.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        if (fields.Length < 20 || fields[0].Length != 1 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }
        return (fields[0][0], start);
    }
}
