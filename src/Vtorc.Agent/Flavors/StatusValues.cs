using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.Replication;

namespace Vtorc.Agent.Flavors;

/// <summary>Reading typed values out of replication status rows and variable maps, with errors that name the column.</summary>
internal static class StatusValues
{
    public static uint UInt32(RowValues row, params ReadOnlySpan<string> columns)
    {
        var text = row.Get(columns);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        return uint.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"replication status column {columns[0]} = \"{text}\" is not an unsigned 32-bit number");
    }

    public static int Int32(RowValues row, params ReadOnlySpan<string> columns)
    {
        var text = row.Get(columns);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"replication status column {columns[0]} = \"{text}\" is not a 32-bit number");
    }

    /// <summary>"FilePos/{file}:{offset}", or "" when the file name is empty (the thread never ran).</summary>
    public static string FilePos(RowValues row, string[] fileColumns, string[] offsetColumns)
    {
        var file = row.GetText(fileColumns).Trim();
        if (file.Length == 0)
        {
            return "";
        }
        var offsetText = row.GetText(offsetColumns).Trim();
        if (!long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new FormatException($"replication status column {offsetColumns[0]} = \"{offsetText}\" is not a binlog offset");
        }
        return ReplicationPosition.FromFile(new FilePosition(file, offset)).ToString();
    }

    /// <summary>"{flavor}/{value}" re-encoded canonically; the message names the column when it does not parse.</summary>
    public static ReplicationPosition Position(string prefix, string? value, string what)
    {
        var text = prefix + "/" + (value ?? "").Trim();
        return ReplicationPosition.TryParse(text, out var position, out var error)
            ? position!
            : throw new FormatException($"{what} = \"{value}\" is not a {prefix} position: {error}");
    }

    public static bool IsOn(IReadOnlyDictionary<string, string> values, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (values.TryGetValue(name, out var text))
            {
                var value = text.Trim();
                return value == "1" || value.Equals("ON", StringComparison.OrdinalIgnoreCase)
                    || value.Equals("YES", StringComparison.OrdinalIgnoreCase) || value.Equals("TRUE", StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }

    public static string Text(IReadOnlyDictionary<string, string> values, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (values.TryGetValue(name, out var text))
            {
                return text;
            }
        }
        return "";
    }

    public static ulong UInt64(IReadOnlyDictionary<string, string> values, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (values.TryGetValue(name, out var text))
            {
                return ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"server variable {name} = \"{text}\" is not an unsigned number");
            }
        }
        return 0;
    }

    public static uint UInt32(IReadOnlyDictionary<string, string> values, params ReadOnlySpan<string> names)
    {
        var value = UInt64(values, names);
        return value <= uint.MaxValue ? (uint)value : uint.MaxValue;
    }

    public static double Double(IReadOnlyDictionary<string, string> values, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (values.TryGetValue(name, out var text))
            {
                return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"server variable {name} = \"{text}\" is not a number");
            }
        }
        return 0;
    }

    /// <summary>The normalised "major.minor.patch" of the version variable, or "" when it is missing.</summary>
    public static string Version(IReadOnlyDictionary<string, string> variables)
    {
        var version = Text(variables, "version");
        return version.Length == 0 ? "" : MySqlFlavor.Parse(version, Text(variables, "version_comment")).Version;
    }

    /// <summary>Whether any replication filter column of a status row is non-empty.</summary>
    public static bool HasFilters(RowValues row)
    {
        foreach (var column in FilterColumns)
        {
            if (!string.IsNullOrWhiteSpace(row.Get(column)))
            {
                return true;
            }
        }
        return false;
    }

    private static readonly string[] FilterColumns =
    [
        "Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table", "Replicate_Ignore_Table",
        "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table", "Replicate_Rewrite_DB",
        "Replicate_Do_Domain_Ids", "Replicate_Ignore_Domain_Ids",
    ];
}
