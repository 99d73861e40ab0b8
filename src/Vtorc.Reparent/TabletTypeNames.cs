using Topodata;

namespace Vtorc.Reparent;

/// <summary>
/// Vitess spellings of tablet types for messages. <see cref="TabletType"/> has aliases (MASTER = PRIMARY,
/// BATCH = RDONLY), so <c>Enum.ToString</c> may print either name; operators expect the current one.
/// </summary>
public static class TabletTypeNames
{
    public static string Of(TabletType type) => type switch
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
}
