namespace Vtorc.Replication;

/// <summary>
/// An inclusive range of transaction sequence numbers (GNOs) of one server UUID: <c>Start..End</c>, with
/// 1 ≤ Start ≤ End. Written <c>N</c> when Start = End, else <c>N-M</c>.
/// </summary>
public readonly record struct GtidInterval(long Start, long End)
{
    /// <summary>Number of transactions in the interval.</summary>
    public long Count => End - Start + 1;

    public bool Contains(long sequence) => sequence >= Start && sequence <= End;

    /// <summary>Whether <paramref name="other"/> lies entirely inside this interval.</summary>
    public bool Contains(GtidInterval other) => other.Start >= Start && other.End <= End;

    public override string ToString() => Start == End ? Start.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"{Start.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{End.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    internal static GtidInterval Checked(long start, long end)
    {
        if (start < 1 || end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"A GTID interval needs 1 <= start <= end, got {start}-{end}.");
        }
        return new GtidInterval(start, end);
    }
}
