using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Vtorc.Topo;

/// <summary>
/// The text form of a tablet alias, <c>{cell}-{uid}</c> with the uid zero-padded to ten digits, as used in
/// Tablet keys and everywhere a tablet is named (go/vt/topo/topoproto/tablet.go).
/// </summary>
public static class TabletAliasText
{
    /// <summary>Formats a cell and uid as <c>zone1-0000000100</c>.</summary>
    public static string Format(string cell, uint uid) =>
        string.Create(CultureInfo.InvariantCulture, $"{cell}-{uid:D10}");

    /// <summary>
    /// Parses <c>{cell}-{digits}</c>. The cell part is greedy (a cell may contain '-'; the uid is the digits after
    /// the last '-'), cell characters are <c>[-_.a-zA-Z0-9]</c>, and unpadded digits are accepted.
    /// </summary>
    /// <exception cref="FormatException">The text is not an alias; the message quotes it.</exception>
    public static (string Cell, uint Uid) ParseParts(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseParts(text, out var cell, out var uid, out var problem))
        {
            return (cell, uid);
        }

        throw new FormatException($"invalid tablet alias \"{text}\": {problem}");
    }

    public static bool TryParseParts(string? text, out string cell, out uint uid) =>
        TryParseParts(text, out cell, out uid, out _);

    private static bool TryParseParts(string? text, out string cell, out uint uid, out string problem)
    {
        cell = "";
        uid = 0;
        if (string.IsNullOrEmpty(text))
        {
            problem = "expected <cell>-<uid>, got an empty string";
            return false;
        }

        var dash = text.LastIndexOf('-');
        if (dash <= 0 || dash == text.Length - 1)
        {
            problem = "expected <cell>-<uid> (a cell name, a dash, then the decimal uid)";
            return false;
        }

        var cellPart = text.AsSpan(0, dash);
        foreach (var c in cellPart)
        {
            if (!IsCellChar(c))
            {
                problem = $"the cell part \"{cellPart}\" may contain only letters, digits, '-', '_' and '.'";
                return false;
            }
        }

        if (UidProblem(text.AsSpan(dash + 1), out uid) is { } uidProblem)
        {
            problem = uidProblem;
            return false;
        }

        cell = cellPart.ToString();
        problem = "";
        return true;
    }

    /// <summary>
    /// Splits <c>cell-uid</c> on the last '-' without allocating and without checking the cell's characters; false when
    /// the cell is empty or the uid is not a decimal uint32.
    /// </summary>
    public static bool TrySplit(string alias, out ReadOnlySpan<char> cell, out uint uid)
    {
        ArgumentNullException.ThrowIfNull(alias);
        cell = default;
        uid = 0;
        int dash = alias.LastIndexOf('-');
        if (dash <= 0 || dash == alias.Length - 1 || UidProblem(alias.AsSpan(dash + 1), out uid) is not null)
        {
            uid = 0;
            return false;
        }
        cell = alias.AsSpan(0, dash);
        return true;
    }

    /// <summary>Null when <paramref name="uidPart"/> is a decimal uint32 (unsigned, no sign or spaces); otherwise why not.</summary>
    private static string? UidProblem(ReadOnlySpan<char> uidPart, out uint uid)
    {
        uid = 0;
        foreach (var c in uidPart)
        {
            if (c is < '0' or > '9')
            {
                return $"the uid part \"{uidPart}\" must be decimal digits";
            }
        }

        return uint.TryParse(uidPart, NumberStyles.None, CultureInfo.InvariantCulture, out uid)
            ? null
            : $"the uid {uidPart} does not fit in 32 bits";
    }

    private static bool IsCellChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';

    /// <summary>
    /// The order of two references when either is null (null first) or both are the same object; false when both are
    /// distinct non-null values and the caller must compare them. Shared by the alias comparers.
    /// </summary>
    internal static bool TryOrderByReference([NotNullWhen(false)] object? x, [NotNullWhen(false)] object? y, out int order)
    {
        if (ReferenceEquals(x, y))
        {
            order = 0;
            return true;
        }
        if (x is null || y is null)
        {
            order = x is null ? -1 : 1;
            return true;
        }
        order = 0;
        return false;
    }

    /// <summary>Orders aliases as Vitess does: by cell (ordinal), then by uid numerically.</summary>
    public static int Compare(ReadOnlySpan<char> cellA, uint uidA, ReadOnlySpan<char> cellB, uint uidB)
    {
        var byCell = cellA.SequenceCompareTo(cellB);
        return byCell != 0 ? byCell : uidA.CompareTo(uidB);
    }
}
