namespace Vtorc.Protocol.Etcd;

/// <summary>gRPC method paths of the etcd v3 API (etcd api/etcdserverpb/rpc.proto).</summary>
public static class EtcdMethods
{
    public const string Range = "/etcdserverpb.KV/Range";
    public const string Put = "/etcdserverpb.KV/Put";
    public const string DeleteRange = "/etcdserverpb.KV/DeleteRange";
    public const string Txn = "/etcdserverpb.KV/Txn";
    public const string Compact = "/etcdserverpb.KV/Compact";
    public const string LeaseGrant = "/etcdserverpb.Lease/LeaseGrant";
    public const string LeaseRevoke = "/etcdserverpb.Lease/LeaseRevoke";
    public const string LeaseKeepAlive = "/etcdserverpb.Lease/LeaseKeepAlive";
    public const string LeaseTimeToLive = "/etcdserverpb.Lease/LeaseTimeToLive";
    public const string Watch = "/etcdserverpb.Watch/Watch";
    public const string Status = "/etcdserverpb.Maintenance/Status";
}
