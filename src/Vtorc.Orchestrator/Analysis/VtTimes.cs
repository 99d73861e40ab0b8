namespace Vtorc.Orchestrator.Analysis;

/// <summary>Conversions between topo/RPC encodings and the plain values the analysis compares.</summary>
public static class VtTimes
{
    /// <summary>
    /// A missing <c>vttime.Time</c> is Go's zero time, which is <c>default(DateTimeOffset)</c> (0001-01-01 UTC);
    /// a present one is Unix seconds + nanoseconds, even when both are zero (Go does the same).
    /// </summary>
    public static DateTimeOffset FromProto(Vttime.Time? time)
    {
        if (time is null)
        {
            return default;
        }
        return DateTimeOffset.FromUnixTimeSeconds(time.Seconds).AddTicks(time.Nanoseconds / 100);
    }

    /// <summary>VTOrc compares durations "in seconds", truncating the fraction (1500 ms behaves as 1 s).</summary>
    public static long WholeSeconds(TimeSpan duration) => (long)Math.Truncate(duration.TotalSeconds);
}
