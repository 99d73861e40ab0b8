using System.Runtime.InteropServices;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// RLIMIT_NOFILE of this process, raised so that one connection per simulated tablet (and the daemon's, which inherits
/// the limit as a child) fits: the simulator accepts one connection per tablet per orchestrator instance.
/// </summary>
internal static class FileDescriptorLimit
{
    private const int RlimitNofile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "getrlimit")]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true, EntryPoint = "setrlimit")]
    private static extern int SetRLimit(int resource, ref RLimit limit);

    /// <summary>Raises soft (and, when allowed, hard) limits to at least <paramref name="wanted"/>; returns what they are afterwards.</summary>
    public static (ulong Soft, ulong Hard) Raise(ulong wanted)
    {
        if (GetRLimit(RlimitNofile, out var limit) != 0)
        {
            return (0, 0);
        }
        if (limit.Current >= wanted)
        {
            return (limit.Current, limit.Maximum);
        }
        // Raising the hard limit needs CAP_SYS_RESOURCE (root here); without it, the soft limit goes up to the hard one.
        var raised = new RLimit { Current = wanted, Maximum = Math.Max(wanted, limit.Maximum) };
        if (SetRLimit(RlimitNofile, ref raised) != 0)
        {
            var soft = new RLimit { Current = Math.Min(wanted, limit.Maximum), Maximum = limit.Maximum };
            _ = SetRLimit(RlimitNofile, ref soft);
        }
        GetRLimit(RlimitNofile, out limit);
        return (limit.Current, limit.Maximum);
    }
}
