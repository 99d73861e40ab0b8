using Etcdserverpb;
using Google.Protobuf;

namespace Vtorc.Protocol.Etcd;

/// <summary>Factories for the operations inside a txn's success or failure branch.</summary>
public static class EtcdOp
{
    public static RequestOp Put(string key, ByteString value, long leaseId = 0) =>
        new() { RequestPut = new PutRequest { Key = EtcdKeys.Key(key), Value = value, Lease = leaseId } };

    public static RequestOp Put(string key, string value, long leaseId = 0) => Put(key, ByteString.CopyFromUtf8(value), leaseId);

    public static RequestOp Get(string key) => new() { RequestRange = new RangeRequest { Key = EtcdKeys.Key(key) } };

    public static RequestOp Range(RangeRequest request) => new() { RequestRange = request };

    public static RequestOp Delete(string key) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Key(key) } };

    public static RequestOp DeletePrefix(string prefix) => new()
    {
        RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Key(prefix), RangeEnd = EtcdKeys.PrefixEnd(prefix) },
    };
}
