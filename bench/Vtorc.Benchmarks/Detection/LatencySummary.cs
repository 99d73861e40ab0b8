using System.Globalization;

namespace Vtorc.Benchmarks.Detection;

/// <summary>One summary line of measured seconds: runs, failed runs, min, p50, p95, max (nearest-rank percentiles).</summary>
internal static class LatencySummary
{
    public static string Line(string setting, IReadOnlyList<double> seconds, int failed)
    {
        if (seconds.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{setting,-57} {0,4}  {failed,6}  (no failover measured)");
        }
        var sorted = seconds.Order().ToArray();
        double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{setting,-57} {sorted.Length,4}  {failed,6}  {sorted[0],7:0.000}  {Percentile(0.5),7:0.000}  {Percentile(0.95),7:0.000}  {sorted[^1],7:0.000}");
    }
}
