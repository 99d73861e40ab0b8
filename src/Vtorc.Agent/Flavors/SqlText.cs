using System.Globalization;

namespace Vtorc.Agent.Flavors;

/// <summary>How numbers and switches are written into the flavors' statements.</summary>
internal static class SqlText
{
    public static string OnOff(bool on) => on ? "ON" : "OFF";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Seconds for a statement: invariant, at most 6 decimals, no exponent ("2.5", "30").</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>MASTER_POS_WAIT takes whole seconds; round up so a short timeout does not become 0 ("do not wait").</summary>
    public static string WholeSeconds(double seconds) => Integer((long)Math.Ceiling(seconds));

    /// <summary>The timeout in seconds; throws for zero or negative, which the wait functions read as "wait forever" or "no wait".</summary>
    public static double PositiveSeconds(TimeSpan timeout) => timeout > TimeSpan.Zero
        ? timeout.TotalSeconds
        : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a position wait needs a positive timeout");
}
