using Google.Protobuf;
using Query;
using Topodata;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>The health stream's messages carry Vitess's field numbers (proto/query.proto), checked on bytes built by hand.</summary>
public sealed class HealthStreamWireTests
{
    [Fact]
    public void StreamHealthResponse_decodes_from_bytes_with_Vitess_field_numbers()
    {
        byte[] target =
        [
            0x0A, 2, (byte)'k', (byte)'s', // 1 keyspace
            0x12, 1, (byte)'0', // 2 shard
            0x18, 1, // 3 tablet_type = PRIMARY
            0x22, 2, (byte)'z', (byte)'1', // 4 cell
        ];
        byte[] stats =
        [
            0x0A, 3, (byte)'b', (byte)'a', (byte)'d', // 1 health_error
            0x10, 7, // 2 replication_lag_seconds
        ];
        byte[] alias = [0x0A, 2, (byte)'z', (byte)'1', 0x10, 42]; // topodata.TabletAlias: 1 cell, 2 uid
        var bytes = new List<byte> { 0x0A, (byte)target.Length };
        bytes.AddRange(target);
        bytes.AddRange([0x10, 1]); // 2 serving
        bytes.AddRange([0x18, 0x80, 0x01]); // 3 primary_term_start_timestamp = 128
        bytes.AddRange([0x22, (byte)stats.Length]);
        bytes.AddRange(stats);
        bytes.AddRange([0x2A, (byte)alias.Length]);
        bytes.AddRange(alias);

        var message = StreamHealthResponse.Parser.ParseFrom(bytes.ToArray());

        Assert.Equal("ks", message.Target.Keyspace);
        Assert.Equal("0", message.Target.Shard);
        Assert.Equal(TabletType.Primary, message.Target.TabletType);
        Assert.Equal("z1", message.Target.Cell);
        Assert.True(message.Serving);
        Assert.Equal(128, message.PrimaryTermStartTimestamp);
        Assert.Equal("bad", message.RealtimeStats.HealthError);
        Assert.Equal(7u, message.RealtimeStats.ReplicationLagSeconds);
        Assert.Equal("z1", message.TabletAlias.Cell);
        Assert.Equal(42u, message.TabletAlias.Uid);
        // Encoding gives the same bytes back: no field of ours sits where Vitess has none.
        Assert.Equal(bytes.ToArray(), message.ToByteArray());
    }

    [Fact]
    public void StreamHealthRequest_encodes_as_zero_bytes()
    {
        Assert.Empty(new StreamHealthRequest().ToByteArray());
    }

    [Fact]
    public void The_Query_service_is_queryservice_Query_with_StreamHealth_server_streaming()
    {
        var method = Queryservice.Query.Descriptor.FindMethodByName("StreamHealth");
        Assert.Equal("queryservice.Query", Queryservice.Query.Descriptor.FullName);
        Assert.True(method.IsServerStreaming);
        Assert.False(method.IsClientStreaming);
        Assert.Equal("query.StreamHealthResponse", method.OutputType.FullName);
    }
}
