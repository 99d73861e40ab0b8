using Etcdserverpb;
using Google.Protobuf;

namespace Vtorc.Protocol.Etcd;

/// <summary>Factories for txn guards. An absent key has version, create and mod revision 0.</summary>
public static class EtcdCompare
{
    public static Compare Version(string key, Compare.Types.CompareResult result, long version) =>
        new() { Key = EtcdKeys.Key(key), Target = Compare.Types.CompareTarget.Version, Result = result, Version = version };

    public static Compare ModRevision(string key, Compare.Types.CompareResult result, long modRevision) =>
        new() { Key = EtcdKeys.Key(key), Target = Compare.Types.CompareTarget.Mod, Result = result, ModRevision = modRevision };

    public static Compare CreateRevision(string key, Compare.Types.CompareResult result, long createRevision) =>
        new() { Key = EtcdKeys.Key(key), Target = Compare.Types.CompareTarget.Create, Result = result, CreateRevision = createRevision };

    public static Compare Value(string key, Compare.Types.CompareResult result, ByteString value) =>
        new() { Key = EtcdKeys.Key(key), Target = Compare.Types.CompareTarget.Value, Result = result, Value = value };

    public static Compare Lease(string key, Compare.Types.CompareResult result, long leaseId) =>
        new() { Key = EtcdKeys.Key(key), Target = Compare.Types.CompareTarget.Lease, Result = result, Lease = leaseId };

    /// <summary>Holds when the key does not exist (the topo "create" guard).</summary>
    public static Compare KeyAbsent(string key) => Version(key, Compare.Types.CompareResult.Equal, 0);

    /// <summary>Holds when the key's mod_revision is exactly <paramref name="modRevision"/> (the topo "version" guard).</summary>
    public static Compare ModRevisionIs(string key, long modRevision) =>
        ModRevision(key, Compare.Types.CompareResult.Equal, modRevision);
}
