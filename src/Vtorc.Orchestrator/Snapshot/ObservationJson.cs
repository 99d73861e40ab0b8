using System.Text.Json;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>
/// An <see cref="InstanceObservation"/> in the snapshot file: every row of <see cref="InstanceObservation.Fields"/> in
/// table order under its snake-case name (derived properties are recomputed on import). docs/snapshot-format.md lists
/// them.
/// </summary>
internal static class ObservationJson
{
    public static void Write(Utf8JsonWriter writer, InstanceObservation o)
    {
        writer.WriteStartObject();
        foreach (var field in InstanceObservation.Fields.All)
        {
            field.WriteSnapshot(writer, o);
        }
        writer.WriteEndObject();
    }

    public static InstanceObservation Read(JsonObjectReader r)
    {
        var observation = InstanceObservation.Fields.Unfilled();
        foreach (var field in InstanceObservation.Fields.All)
        {
            field.ReadSnapshot(r, observation);
        }
        return observation;
    }
}
