using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>The words the snapshot file uses for enumerations (Vitess's upper-case type names; snake-case thread states).</summary>
internal static class SnapshotNames
{
    public static readonly IReadOnlyDictionary<string, TabletType> TabletTypes = BuildTabletTypes();

    public static readonly IReadOnlyDictionary<string, KeyspaceType> KeyspaceTypes =
        new Dictionary<string, KeyspaceType>(StringComparer.OrdinalIgnoreCase)
        {
            ["NORMAL"] = KeyspaceType.Normal,
            ["SNAPSHOT"] = KeyspaceType.Snapshot,
        };

    public static readonly IReadOnlyDictionary<string, ReplicationThreadState> ThreadStates =
        new Dictionary<string, ReplicationThreadState>(StringComparer.OrdinalIgnoreCase)
        {
            ["no_thread"] = ReplicationThreadState.NoThread,
            ["stopped"] = ReplicationThreadState.Stopped,
            ["running"] = ReplicationThreadState.Running,
            ["connecting"] = ReplicationThreadState.Connecting,
        };

    public static string Of(TabletType type) => type.ToName();

    public static string Of(KeyspaceType type) => type == KeyspaceType.Snapshot ? "SNAPSHOT" : "NORMAL";

    public static string Of(ReplicationThreadState state) => state switch
    {
        ReplicationThreadState.Stopped => "stopped",
        ReplicationThreadState.Running => "running",
        ReplicationThreadState.Connecting => "connecting",
        _ => "no_thread",
    };

    private static Dictionary<string, TabletType> BuildTabletTypes()
    {
        var names = new Dictionary<string, TabletType>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in Enum.GetValues<TabletType>())
        {
            names[type.ToName()] = type;
        }
        return names;
    }
}
