namespace Vtorc.Orchestrator.Analysis;

/// <summary>VTOrc compares durations "in seconds", truncating the fraction (1500 ms behaves as 1 s).</summary>
internal static class WholeSeconds
{
    public static long Of(TimeSpan duration) => (long)Math.Truncate(duration.TotalSeconds);
}
