using System.Text.Json;
using Replicationdata;
using Vtorc.Orchestrator.Snapshot;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// One row of the observation table (<see cref="InstanceObservation.Fields"/>): a stored field of
/// <see cref="InstanceObservation"/> with everything each reader and writer needs — its snapshot name and encoding,
/// where its value comes from, and its names in VTOrc's Instance and DetectionAnalysis JSON where it appears there.
/// </summary>
internal abstract class ObservationField
{
    private protected ObservationField(string snapshotName, ObservationSource source)
    {
        SnapshotName = snapshotName;
        Source = source;
    }

    /// <summary>The field's name in a snapshot's observation object (docs/snapshot-format.md).</summary>
    public string SnapshotName { get; }

    public ObservationSource Source { get; }

    /// <summary>Its name in VTOrc's <c>Instance</c> JSON (go/vt/vtorc/inst/instance.go); null when not there.</summary>
    public string? InstanceJson { get; init; }

    /// <summary>
    /// Why <see cref="InstanceJson"/> is written by hand in <c>Json.InstanceJson</c> rather than as the stored value (or
    /// its Go zero value for a tablet never polled); null when it is a plain copy.
    /// </summary>
    public string? InstanceJsonByHand { get; init; }

    /// <summary>Its name in VTOrc's <c>DetectionAnalysis</c> JSON (go/vt/vtorc/inst/analysis.go); null when not there.</summary>
    public string? AnalysisJson { get; init; }

    /// <summary>
    /// Why <see cref="AnalysisJson"/>'s value is computed by hand in the analysis rather than copied from the
    /// observation (or the field's default for a tablet never polled); null when it is a plain copy.
    /// </summary>
    public string? AnalysisJsonByHand { get; init; }

    /// <summary>Whether <see cref="CopyFromFullStatus"/> sets this field.</summary>
    public abstract bool IsReadFromFullStatus { get; }

    public abstract Type ValueType { get; }

    public abstract void WriteSnapshot(Utf8JsonWriter writer, InstanceObservation observation);

    /// <summary>Sets the field of <paramref name="building"/>, an observation not yet shared with anyone.</summary>
    public abstract void ReadSnapshot(JsonObjectReader reader, InstanceObservation building);

    /// <summary>Sets the field of <paramref name="building"/> from the poll's answer; nothing when it has no FullStatus reader.</summary>
    public abstract void CopyFromFullStatus(FullStatus status, InstanceObservation building);
}

/// <summary>An observation field of type <typeparamref name="T"/>; its accessors are plain delegates (hot paths use them).</summary>
internal sealed class ObservationField<T> : ObservationField
{
    private readonly Func<InstanceObservation, T> _get;
    private readonly Action<InstanceObservation, T> _set;
    private readonly SnapshotCodec<T> _snapshot;
    private readonly Action<Utf8JsonWriter, string, T>? _vitessJson;

    /// <param name="vitessJson">How VTOrc's JSON writes the value; needed when the field has an Instance or analysis name.</param>
    public ObservationField(string snapshotName, ObservationSource source, Func<InstanceObservation, T> get,
        Action<InstanceObservation, T> set, SnapshotCodec<T> snapshot, Action<Utf8JsonWriter, string, T>? vitessJson = null)
        : base(snapshotName, source)
    {
        _get = get;
        _set = set;
        _snapshot = snapshot;
        _vitessJson = vitessJson;
        Default = get(InstanceObservation.Fields.Unfilled());
    }

    /// <summary>How the value is read from a successful poll's answer (<see cref="ObservationSource.FullStatus"/> fields).</summary>
    public Func<FullStatus, T>? FromFullStatus { get; init; }

    /// <summary>The value of an observation that sets nothing else.</summary>
    public T Default { get; }

    public override bool IsReadFromFullStatus => FromFullStatus is not null;

    public override Type ValueType => typeof(T);

    public T Of(InstanceObservation observation) => _get(observation);

    /// <summary>The value, or <see cref="Default"/> for a tablet never polled.</summary>
    public T OrDefault(InstanceObservation? observation) => observation is null ? Default : _get(observation);

    public override void WriteSnapshot(Utf8JsonWriter writer, InstanceObservation observation) =>
        _snapshot.Write(writer, SnapshotName, _get(observation));

    public override void ReadSnapshot(JsonObjectReader reader, InstanceObservation building) =>
        _set(building, _snapshot.Read(reader, SnapshotName));

    public override void CopyFromFullStatus(FullStatus status, InstanceObservation building)
    {
        if (FromFullStatus is { } read)
        {
            _set(building, read(status));
        }
    }

    /// <summary>The value under <paramref name="name"/> the way VTOrc's JSON writes it.</summary>
    public void WriteVitessJson(Utf8JsonWriter writer, string name, T value)
    {
        if (_vitessJson is null)
        {
            throw new InvalidOperationException($"Observation field {SnapshotName} has no VTOrc JSON encoding.");
        }
        _vitessJson(writer, name, value);
    }

    /// <summary>The field in the Instance JSON of <paramref name="observation"/> (null: a tablet never polled).</summary>
    public void WriteInstanceJson(Utf8JsonWriter writer, InstanceObservation? observation) =>
        WriteVitessJson(writer, InstanceJson ?? throw new InvalidOperationException($"{SnapshotName} is not in the Instance JSON."),
            OrDefault(observation));

    /// <summary>The field in the DetectionAnalysis JSON, with the value the analysis holds.</summary>
    public void WriteAnalysisJson(Utf8JsonWriter writer, T value) =>
        WriteVitessJson(writer, AnalysisJson ?? throw new InvalidOperationException($"{SnapshotName} is not in the analysis JSON."), value);
}
