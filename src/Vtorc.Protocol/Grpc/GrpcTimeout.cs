using System.Globalization;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// The grpc-timeout header (docs/wire-format.md, "gRPC over HTTP/2"): at most 8 digits and one unit. Encoding picks the
/// finest unit whose rounded-up value fits, so a deadline is never shortened on the wire.
/// </summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;
    private const long NanosPerTick = 100;

    // Finest first; the nanoseconds in one unit.
    private static readonly (char Unit, long Nanos)[] Units =
    [
        ('n', 1L),
        ('u', 1_000L),
        ('m', 1_000_000L),
        ('S', 1_000_000_000L),
        ('M', 60L * 1_000_000_000L),
        ('H', 3600L * 1_000_000_000L),
    ];

    /// <summary>The longest timeout a timer can be armed with; longer deadlines are treated as none.</summary>
    public static TimeSpan MaxTimer { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static string Encode(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "0n";
        }
        var ticks = timeout.Ticks;
        // Nanoseconds fit in 8 digits only below 0.1 s; coarser units are counted in ticks, which cannot overflow.
        if (ticks <= MaxValue / NanosPerTick)
        {
            return (ticks * NanosPerTick).ToString(CultureInfo.InvariantCulture) + "n";
        }
        foreach (var (unit, unitNanos) in Units.AsSpan(1))
        {
            var unitTicks = unitNanos / NanosPerTick;
            var value = ticks / unitTicks + (ticks % unitTicks == 0 ? 0 : 1);
            if (value <= MaxValue)
            {
                return value.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }
        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Parses a grpc-timeout value; false when it is not 1–8 digits followed by a known unit.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan timeout)
    {
        timeout = default;
        if (text.Length < 2 || text.Length > 9)
        {
            return false;
        }
        long value = 0;
        foreach (var c in text[..^1])
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        long unitNanos = 0;
        foreach (var (unit, nanos) in Units)
        {
            if (unit == text[^1])
            {
                unitNanos = nanos;
            }
        }
        if (unitNanos == 0)
        {
            return false;
        }
        // 99,999,999 hours is about 3.6e17 ticks: no overflow when working in ticks for units >= 1 µs.
        timeout = unitNanos < NanosPerTick
            ? TimeSpan.FromTicks((value * unitNanos + NanosPerTick - 1) / NanosPerTick)
            : TimeSpan.FromTicks(value * (unitNanos / NanosPerTick));
        return true;
    }
}
