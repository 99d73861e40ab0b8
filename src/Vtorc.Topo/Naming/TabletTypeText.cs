using Topodata;

namespace Vtorc.Topo;

/// <summary>Tablet type names as operators write them: case-insensitive, with the old MASTER/BATCH aliases.</summary>
public static class TabletTypeText
{
    private static readonly Dictionary<string, TabletType> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["unknown"] = TabletType.Unknown,
        ["primary"] = TabletType.Primary,
        ["master"] = TabletType.Primary,
        ["replica"] = TabletType.Replica,
        ["rdonly"] = TabletType.Rdonly,
        ["batch"] = TabletType.Rdonly,
        ["spare"] = TabletType.Spare,
        ["experimental"] = TabletType.Experimental,
        ["backup"] = TabletType.Backup,
        ["restore"] = TabletType.Restore,
        ["drained"] = TabletType.Drained,
    };

    /// <exception cref="FormatException">Unknown name; the message quotes it and lists the valid ones.</exception>
    public static TabletType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ByName.TryGetValue(text.Trim(), out var type)
            ? type
            : throw new FormatException(
                $"unknown tablet type \"{text}\" (expected one of primary, replica, rdonly, spare, experimental, backup, restore, drained)");
    }

    /// <summary>The upper-case protobuf name, PRIMARY rather than its MASTER alias (Vitess's String()).</summary>
    public static string ToName(this TabletType type) => type switch
    {
        TabletType.Unknown => "UNKNOWN",
        TabletType.Primary => "PRIMARY",
        TabletType.Replica => "REPLICA",
        TabletType.Rdonly => "RDONLY",
        TabletType.Spare => "SPARE",
        TabletType.Experimental => "EXPERIMENTAL",
        TabletType.Backup => "BACKUP",
        TabletType.Restore => "RESTORE",
        TabletType.Drained => "DRAINED",
        _ => ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Lower-case name, as vtctldclient prints tablet lists.</summary>
    public static string ToLowerName(this TabletType type) => type.ToName().ToLowerInvariant();
}
