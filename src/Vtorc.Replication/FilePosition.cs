using System.Globalization;

namespace Vtorc.Replication;

/// <summary>A binary-log file coordinate <c>file:offset</c> (the FilePos flavor).</summary>
public sealed record FilePosition(string File, long Offset) : IComparable<FilePosition>
{
    public string File { get; } = ValidFile(File);
    public long Offset { get; } = Offset >= 0 ? Offset : throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "A binlog offset cannot be negative.");

    private static string ValidFile(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        return file;
    }

    /// <summary>Parses <c>file:offset</c>; the offset follows the last ':'.</summary>
    /// <exception cref="PositionParseException">The text is malformed; the message quotes it.</exception>
    public static FilePosition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, 0, out var position, out var problem))
        {
            throw new PositionParseException(text, problem!);
        }
        return position!;
    }

    internal static bool TryParseCore(string input, int start, out FilePosition? position, out string? problem)
    {
        position = null;
        int colon = input.LastIndexOf(':');
        if (colon < start)
        {
            problem = $"file position '{input[start..]}' at offset {start} has no ':offset' after the binlog file name";
            return false;
        }
        if (colon == start)
        {
            problem = $"file position '{input[start..]}' at offset {start} has an empty binlog file name";
            return false;
        }
        if (colon == input.Length - 1)
        {
            problem = $"file position '{input[start..]}' has an empty offset after ':' at offset {colon}";
            return false;
        }
        long offset = 0;
        for (int i = colon + 1; i < input.Length; i++)
        {
            char c = input[i];
            if (c is < '0' or > '9')
            {
                problem = $"file position offset '{input[(colon + 1)..]}' has '{c}' at offset {i} where a digit is expected";
                return false;
            }
            int digit = c - '0';
            if (offset > (long.MaxValue - digit) / 10)
            {
                problem = $"file position offset '{input[(colon + 1)..]}' at offset {colon + 1} is larger than {long.MaxValue.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }
            offset = offset * 10 + digit;
        }
        position = new FilePosition(input[start..colon], offset);
        problem = null;
        return true;
    }

    /// <summary>Whether this coordinate is at or after <paramref name="other"/>: later file, or same file and offset ≥.</summary>
    public bool Contains(FilePosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CompareTo(other) >= 0;
    }

    /// <summary>Orders by file name (<see cref="CompareFileNames"/>), then offset.</summary>
    public int CompareTo(FilePosition? other)
    {
        if (other is null)
        {
            return 1;
        }
        int byFile = CompareFileNames(File, other.File);
        return byFile != 0 ? byFile : Offset.CompareTo(other.Offset);
    }

    /// <summary>
    /// Ordinal order, except that names sharing a base and differing only in their numeric extension compare
    /// by number. MySQL pads the extension to six digits, where ordinal and numeric order agree (which is what
    /// Vitess relies on); past 999999 the extension grows and only the numeric comparison stays right.
    /// </summary>
    public static int CompareFileNames(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int dotA = a.LastIndexOf('.');
        int dotB = b.LastIndexOf('.');
        if (dotA >= 0 && dotA == dotB && a.AsSpan(0, dotA).SequenceEqual(b.AsSpan(0, dotB)))
        {
            var digitsA = a.AsSpan(dotA + 1);
            var digitsB = b.AsSpan(dotB + 1);
            if (digitsA.Length > 0 && digitsB.Length > 0 && IsDigits(digitsA) && IsDigits(digitsB))
            {
                digitsA = digitsA.TrimStart('0');
                digitsB = digitsB.TrimStart('0');
                if (digitsA.Length != digitsB.Length)
                {
                    return digitsA.Length.CompareTo(digitsB.Length);
                }
                int numeric = digitsA.SequenceCompareTo(digitsB);
                if (numeric != 0)
                {
                    return numeric;
                }
            }
        }
        return string.CompareOrdinal(a, b);
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString() => $"{File}:{Offset.ToString(CultureInfo.InvariantCulture)}";
}
