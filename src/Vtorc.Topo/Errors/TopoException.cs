namespace Vtorc.Topo;

/// <summary>A topology failure; <see cref="Key"/> is the etcd key (or prefix) it concerns.</summary>
public sealed class TopoException : Exception
{
    public TopoException(TopoErrorKind kind, string key, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Key = key;
    }

    public TopoErrorKind Kind { get; }

    public string Key { get; }

    public static TopoException NoNode(string key) => new(TopoErrorKind.NoNode, key, $"node doesn't exist: {key}");

    public static TopoException NodeExists(string key) => new(TopoErrorKind.NodeExists, key, $"node already exists: {key}");

    public static TopoException BadVersion(string key, long expected) =>
        new(TopoErrorKind.BadVersion, key, $"bad node version: {key} is not at version {expected}");

    public static TopoException Corrupt(string key, string what, Exception inner) =>
        new(TopoErrorKind.Corrupt, key, $"corrupt value at {key}: cannot decode it as {what}: {inner.Message}", inner);
}
