using System.Text.Json;
using Topodata;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Json;

/// <summary>How VTOrc's JSON (Go's <c>encoding/json</c> on VTOrc's structs) writes each kind of observation value.</summary>
internal static class VitessJsonValues
{
    public static readonly Action<Utf8JsonWriter, string, string> Text = (w, n, v) => w.WriteGoString(n, v);

    public static readonly Action<Utf8JsonWriter, string, bool> Bool = (w, n, v) => w.WriteBoolean(n, v);

    public static readonly Action<Utf8JsonWriter, string, int> Int32 = (w, n, v) => w.WriteNumber(n, v);

    public static readonly Action<Utf8JsonWriter, string, uint> UInt32 = (w, n, v) => w.WriteNumber(n, v);

    public static readonly Action<Utf8JsonWriter, string, ulong> UInt64 = (w, n, v) => w.WriteNumber(n, v);

    public static readonly Action<Utf8JsonWriter, string, double> Float = (w, n, v) => w.WriteGoFloat(n, v);

    /// <summary>Go's <c>sql.NullInt64</c>.</summary>
    public static readonly Action<Utf8JsonWriter, string, long?> NullInt64 = (w, n, v) => w.WriteGoNullInt64(n, v);

    /// <summary>Tablet types are numbers in VTOrc's JSON.</summary>
    public static readonly Action<Utf8JsonWriter, string, TabletType> TabletTypeNumber = (w, n, v) => w.WriteNumber(n, (int)v);

    public static readonly Action<Utf8JsonWriter, string, ReplicationThreadState> ThreadStateNumber = (w, n, v) => w.WriteNumber(n, (int)v);

    public static readonly Action<Utf8JsonWriter, string, BinlogCoordinates> Coordinates = BinlogCoordinatesJson.Write;
}
