using Google.Protobuf;

namespace Vtorc.Topo;

/// <summary>
/// One change to a key under a watched directory: the new value (<see cref="Value"/> null when the key was deleted)
/// and the etcd revision of the change (for a delete, the revision of the deletion).
/// </summary>
public sealed record TopoChange(string Key, ByteString? Value, long Revision, long Lease)
{
    public bool IsDelete => Value is null;

    /// <summary>The new value as a file, for the record decoders (<see cref="TopoRecords{TKey, T}.Decode"/>); null for a delete.</summary>
    public TopoFile? AsFile() => Value is null ? null : new TopoFile(Key, Value, Revision, Lease);
}
