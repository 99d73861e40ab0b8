using System.Text.Json;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Json;

/// <summary>VTOrc's <c>BinlogCoordinates</c> object: <c>{"LogFile": …, "LogPos": …, "Type": 0|1}</c> (1 = relay log).</summary>
internal static class BinlogCoordinatesJson
{
    public static void Write(Utf8JsonWriter writer, string name, BinlogCoordinates coordinates)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(coordinates);
        writer.WriteStartObject(name);
        writer.WriteGoString("LogFile", coordinates.LogFile);
        writer.WriteNumber("LogPos", coordinates.LogPos);
        writer.WriteNumber("Type", coordinates.Type);
        writer.WriteEndObject();
    }
}
