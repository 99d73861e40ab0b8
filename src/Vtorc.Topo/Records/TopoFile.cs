using Google.Protobuf;

namespace Vtorc.Topo;

/// <summary>One etcd key as the topo sees it: full key, raw value, version (mod_revision) and lease (0 = none).</summary>
public sealed record TopoFile(string Key, ByteString Value, long Version, long Lease);
