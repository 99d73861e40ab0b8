using System.Globalization;

namespace Vtorc.Orchestrator.Json;

/// <summary>
/// Scalar values as Go's <c>encoding/json</c> writes them (what VTOrc's API handlers emit), so tools written against
/// VTOrc can compare our output byte for byte: <c>time.Time</c> and <c>float64</c> (strings: <see cref="Vtorc.Topo.GoJsonEncoder"/>).
/// </summary>
internal static class GoJsonText
{
    /// <summary>
    /// Go's <c>time.RFC3339Nano</c>: up to nine fraction digits with trailing zeros dropped (ours has at most seven),
    /// "Z" for UTC. The zero time is <c>0001-01-01T00:00:00Z</c>.
    /// </summary>
    public static string Time(DateTimeOffset time)
    {
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + (time.Offset == TimeSpan.Zero ? "Z" : time.ToString("zzz", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A <c>float64</c> the way Go encodes it: the shortest digits that read back to the same value, in plain
    /// decimal notation unless the magnitude is below 1e-6 or from 1e21 up (then <c>1e+21</c>, <c>1.5e-7</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">NaN or infinity, which JSON cannot carry (Go refuses them too).</exception>
    public static string Float(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no representation for NaN or infinity.");
        }
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        double magnitude = Math.Abs(value);
        bool exponentForm = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21);
        int e = shortest.IndexOf('E');
        if (exponentForm)
        {
            if (e < 0)
            {
                // .NET chose plain notation; rebuild as mantissa and exponent.
                return ToExponentForm(shortest);
            }
            var mantissa = shortest[..e];
            var exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return mantissa + FormatExponent(exponent);
        }
        return e < 0 ? shortest : ExpandExponent(shortest, e);
    }

    // Go writes at least two exponent digits, then drops the leading zero of a negative one ("e-07" becomes "e-7").
    private static string FormatExponent(int exponent) =>
        exponent < 0
            ? "e-" + (-exponent).ToString(CultureInfo.InvariantCulture)
            : "e+" + exponent.ToString("D2", CultureInfo.InvariantCulture);

    private static string ExpandExponent(string shortest, int e)
    {
        bool negative = shortest[0] == '-';
        var mantissa = shortest[(negative ? 1 : 0)..e];
        int exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = (point < 0 ? mantissa.Length : point) + exponent;
        string plain;
        if (integerDigits <= 0)
        {
            plain = "0." + new string('0', -integerDigits) + digits;
        }
        else if (integerDigits >= digits.Length)
        {
            plain = digits + new string('0', integerDigits - digits.Length);
        }
        else
        {
            plain = digits[..integerDigits] + "." + digits[integerDigits..];
        }
        return negative ? "-" + plain : plain;
    }

    private static string ToExponentForm(string plain)
    {
        bool negative = plain[0] == '-';
        var unsigned = plain[(negative ? 1 : 0)..];
        int point = unsigned.IndexOf('.');
        var digits = point < 0 ? unsigned : unsigned.Remove(point, 1);
        int integerDigits = point < 0 ? unsigned.Length : point;
        int firstNonZero = 0;
        while (firstNonZero < digits.Length - 1 && digits[firstNonZero] == '0')
        {
            firstNonZero++;
        }
        var significant = digits[firstNonZero..].TrimEnd('0');
        if (significant.Length == 0)
        {
            significant = "0";
        }
        int exponent = integerDigits - firstNonZero - 1;
        var mantissa = significant.Length == 1 ? significant : significant[0] + "." + significant[1..];
        return (negative ? "-" : "") + mantissa + FormatExponent(exponent);
    }
}
