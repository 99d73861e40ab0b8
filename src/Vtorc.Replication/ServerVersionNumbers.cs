using System.Globalization;

namespace Vtorc.Replication;

/// <summary>The leading <c>major.minor.patch</c> of a database server's version text ("10.11.19-MariaDB-log", "8.0.36").</summary>
public static class ServerVersionNumbers
{
    /// <summary>
    /// Reads up to three dot-separated numbers from the start of <paramref name="text"/> into
    /// <paramref name="numbers"/> (missing ones stay 0).
    /// </summary>
    /// <returns>How many numbers were read (0 to 3).</returns>
    public static int ReadLeading(ReadOnlySpan<char> text, Span<int> numbers)
    {
        int parts = 0;
        int position = 0;
        while (parts < 3 && parts < numbers.Length)
        {
            int start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            if (position == start
                || !int.TryParse(text[start..position], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[parts]))
            {
                break;
            }
            parts++;
            if (position < text.Length && text[position] == '.')
            {
                position++;
            }
            else
            {
                break;
            }
        }
        return parts;
    }
}
