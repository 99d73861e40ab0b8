using Grpc.Core;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

public sealed class EtcdKeysAndErrorsTests
{
    [Theory]
    [InlineData(new byte[] { 0x61, 0x2f }, new byte[] { 0x61, 0x30 })]
    [InlineData(new byte[] { 0x61, 0xff }, new byte[] { 0x62 })]
    [InlineData(new byte[] { 0xff, 0xff }, new byte[] { 0x00 })]
    [InlineData(new byte[] { }, new byte[] { 0x00 })]
    public void Prefix_end_increments_the_last_byte_below_0xff(byte[] prefix, byte[] expected)
    {
        Assert.Equal(expected, EtcdKeys.PrefixEnd(prefix).ToByteArray());
    }

    [Fact]
    public void Prefix_end_of_a_locks_directory_is_locks0()
    {
        Assert.Equal("/vitess/global/keyspaces/ks/shards/0/locks0",
            EtcdKeys.PrefixEnd("/vitess/global/keyspaces/ks/shards/0/locks/").ToStringUtf8());
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "etcdserver: requested lease not found", EtcdErrorKind.LeaseNotFound)]
    [InlineData(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted", EtcdErrorKind.Compacted)]
    [InlineData(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision", EtcdErrorKind.FutureRevision)]
    [InlineData(StatusCode.Unavailable, "etcdserver: no leader", EtcdErrorKind.Unavailable)]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: request is too large", EtcdErrorKind.RequestTooLarge)]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request", EtcdErrorKind.InvalidArgument)]
    [InlineData(StatusCode.ResourceExhausted, "etcdserver: too many requests", EtcdErrorKind.TooManyRequests)]
    [InlineData(StatusCode.ResourceExhausted, "message larger than max", EtcdErrorKind.ResourceExhausted)]
    [InlineData(StatusCode.DeadlineExceeded, "", EtcdErrorKind.DeadlineExceeded)]
    [InlineData(StatusCode.Internal, "boom", EtcdErrorKind.Other)]
    public void Classify_maps_etcd_status_and_message_to_a_kind(StatusCode status, string detail, EtcdErrorKind expected)
    {
        Assert.Equal(expected, EtcdErrors.Classify(status, detail));
    }

    [Fact]
    public void From_rpc_names_operation_key_endpoint_and_status()
    {
        var error = EtcdErrors.FromRpc(new RpcException(new Status(StatusCode.NotFound, "etcdserver: requested lease not found")), "LeaseRevoke", "lease 42", "http://127.0.0.1:2379");

        Assert.Equal(EtcdErrorKind.LeaseNotFound, error.Kind);
        Assert.Equal(StatusCode.NotFound, error.Status);
        Assert.Contains("LeaseRevoke \"lease 42\"", error.Message);
        Assert.Contains("127.0.0.1:2379", error.Message);
        Assert.Contains("requested lease not found", error.Message);
    }
}
