using System.Text.Json;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>
/// How one kind of value is written to and read from a snapshot object under a given name (docs/snapshot-format.md).
/// <see cref="Write"/> may write nothing (an optional field at its default); <see cref="Read"/> gives the default for an
/// absent optional field and throws <see cref="SnapshotFormatException"/> for a bad one.
/// </summary>
internal sealed record SnapshotCodec<T>(Action<Utf8JsonWriter, string, T> Write, Func<JsonObjectReader, string, T> Read);
