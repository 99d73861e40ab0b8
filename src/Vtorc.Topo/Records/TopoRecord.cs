namespace Vtorc.Topo;

/// <summary>
/// A record read from (or just written to) the topo with its version: the etcd <c>mod_revision</c> of its key.
/// Pass the version back to a versioned update or delete to make it a compare-and-swap.
/// </summary>
public sealed record TopoRecord<T>(T Value, long Version);
