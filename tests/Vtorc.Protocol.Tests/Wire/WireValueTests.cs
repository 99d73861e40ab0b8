using Google.Protobuf;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>Value-level encoding facts from docs/wire-format.md, "Protobuf encoding", that a hand-written peer depends
/// on.</summary>
public sealed class WireValueTests
{
    [Fact]
    public void Negative_int32_is_a_ten_byte_varint_of_the_64_bit_twos_complement()
    {
        var tablet = new Topodata.Tablet { MysqlPort = -1 };

        var port = Assert.Single(RawProtobufReader.Parse(tablet.ToByteArray()));

        Assert.Equal(13, port.Number);
        Assert.Equal(ProtoWireType.Varint, port.WireType);
        Assert.Equal(10, port.Value.Length);
        Assert.Equal(ulong.MaxValue, port.Scalar);
    }

    [Fact]
    public void Negative_replication_state_is_not_zigzag_encoded()
    {
        var status = new Replicationdata.Status { IoState = -2 };

        var ioState = Assert.Single(RawProtobufReader.Parse(status.ToByteArray()));

        Assert.Equal(unchecked((ulong)-2L), ioState.Scalar);
    }

    [Fact]
    public void Heartbeat_interval_is_a_little_endian_ieee754_double()
    {
        var request = new Tabletmanagerdata.SetReplicationSourceRequest { HeartbeatInterval = 1.5 };

        var heartbeat = Assert.Single(RawProtobufReader.Parse(request.ToByteArray()));

        Assert.Equal(new FieldLayout(6, ProtoWireType.Fixed64), new FieldLayout(heartbeat.Number, heartbeat.WireType));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0xF8, 0x3F }, heartbeat.Value.ToArray());
    }

    [Fact]
    public void Configuration_heartbeat_interval_decodes_as_double()
    {
        var configuration = new Replicationdata.Configuration { HeartbeatInterval = 2.25 };

        var heartbeat = Assert.Single(RawProtobufReader.Parse(configuration.ToByteArray()));

        Assert.Equal(1, heartbeat.Number);
        Assert.Equal(2.25, heartbeat.AsDouble());
    }

    [Fact]
    public void Port_map_entry_has_the_key_in_field_1_and_the_port_in_field_2()
    {
        var tablet = new Topodata.Tablet { PortMap = { ["grpc"] = 16101 } };

        var entry = Assert.Single(RawProtobufReader.Parse(tablet.ToByteArray()));
        var parts = entry.AsMessage();

        Assert.Equal(4, entry.Number);
        Assert.Equal(2, parts.Count);
        Assert.Equal((1, ProtoWireType.LengthDelimited, "grpc"), (parts[0].Number, parts[0].WireType, parts[0].AsString()));
        Assert.Equal((2, ProtoWireType.Varint, 16101UL), (parts[1].Number, parts[1].WireType, parts[1].Scalar));
    }

    [Fact]
    public void Status_values_map_writes_one_entry_per_variable()
    {
        var response = new Tabletmanagerdata.GetGlobalStatusVarsResponse
        {
            StatusValues = { ["Innodb_buffer_pool_pages_data"] = "1234", ["Uptime"] = "9" },
        };

        var entries = RawProtobufReader.Parse(response.ToByteArray())
            .Select(e => e.AsMessage())
            .ToDictionary(e => e.Single(f => f.Number == 1).AsString(), e => e.Single(f => f.Number == 2).AsString());

        Assert.Equal(new Dictionary<string, string> { ["Innodb_buffer_pool_pages_data"] = "1234", ["Uptime"] = "9" }, entries);
    }

    [Fact]
    public void Repeated_strings_are_one_field_occurrence_per_element()
    {
        var response = new Tabletmanagerdata.GetReplicasResponse { Addrs = { "10.0.0.1:3306", "10.0.0.2:3306" } };

        var addrs = RawProtobufReader.Parse(response.ToByteArray());

        Assert.Equal(["10.0.0.1:3306", "10.0.0.2:3306"], addrs.Select(a => a.AsString()));
    }

    [Fact]
    public void Default_values_are_not_emitted()
    {
        var tablet = new Topodata.Tablet
        {
            Hostname = "",
            MysqlPort = 0,
            Type = Topodata.TabletType.Unknown,
            KeyRange = null,
        };

        Assert.Empty(tablet.ToByteArray());
    }

    [Fact]
    public void Present_but_empty_replication_status_is_emitted_and_distinguished_from_absent()
    {
        var replica = new Replicationdata.FullStatus { ReplicationStatus = new Replicationdata.Status() };
        var notReplica = new Replicationdata.FullStatus();

        Assert.Equal(new byte[] { 0x1A, 0x00 }, replica.ToByteArray());
        Assert.Empty(notReplica.ToByteArray());
        Assert.NotNull(Replicationdata.FullStatus.Parser.ParseFrom(replica.ToByteArray()).ReplicationStatus);
        Assert.Null(Replicationdata.FullStatus.Parser.ParseFrom(notReplica.ToByteArray()).ReplicationStatus);
    }

    [Fact]
    public void Stop_replication_mode_io_thread_only_is_varint_1()
    {
        var request = new Tabletmanagerdata.StopReplicationAndGetStatusRequest
        {
            StopReplicationMode = Replicationdata.StopReplicationMode.Iothreadonly,
        };

        Assert.Equal(new byte[] { 0x08, 0x01 }, request.ToByteArray());
    }

    [Fact]
    public void Largest_tablet_uid_round_trips_as_unsigned()
    {
        var alias = new Topodata.TabletAlias { Uid = uint.MaxValue };

        var uid = Assert.Single(RawProtobufReader.Parse(alias.ToByteArray()));

        Assert.Equal(5, uid.Value.Length);
        Assert.Equal(uint.MaxValue, Topodata.TabletAlias.Parser.ParseFrom(alias.ToByteArray()).Uid);
    }
}
