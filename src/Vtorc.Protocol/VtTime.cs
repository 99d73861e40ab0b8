namespace Vtorc.Protocol;

/// <summary>
/// Conversions between <see cref="DateTimeOffset"/>/<see cref="TimeSpan"/> and Vitess's <c>vttime.Time</c>/<c>vttime.Duration</c>
/// (Unix seconds plus nanoseconds, go/vt/proto/vttime and go/protoutil/time.go), and term comparison.
/// </summary>
public static class VtTime
{
    public static Vttime.Time From(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new Vttime.Time
        {
            Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest),
            Nanoseconds = (int)(rest * 100),
        };
    }

    /// <summary>A non-negative span as <c>vttime.Duration</c>.</summary>
    public static Vttime.Duration Duration(TimeSpan span) => new()
    {
        Seconds = Math.DivRem(span.Ticks, TimeSpan.TicksPerSecond, out var rest),
        Nanos = (int)(rest * 100),
    };

    /// <summary>Unix seconds + nanoseconds (truncated to the 100 ns tick), even when both are zero.</summary>
    public static DateTimeOffset ToDateTimeOffset(Vttime.Time time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateTimeOffset.FromUnixTimeSeconds(time.Seconds).AddTicks(time.Nanoseconds / 100);
    }

    /// <summary>
    /// As <see cref="ToDateTimeOffset"/>, but a missing time is Go's zero time, <c>default(DateTimeOffset)</c>
    /// (0001-01-01 UTC), as VTOrc reads an absent term start.
    /// </summary>
    public static DateTimeOffset ToDateTimeOffsetOrZero(Vttime.Time? time) => time is null ? default : ToDateTimeOffset(time);

    /// <summary>Orders times with "absent" before every present time.</summary>
    public static int Compare(Vttime.Time? a, Vttime.Time? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }
        var bySeconds = a.Seconds.CompareTo(b.Seconds);
        return bySeconds != 0 ? bySeconds : a.Nanoseconds.CompareTo(b.Nanoseconds);
    }

    /// <summary>The time as Unix nanoseconds (what the reparent journal stores).</summary>
    public static long UnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
