using Google.Protobuf;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>
/// Topo records written by a newer Vitess carry fields we do not declare; a read-modify-write by us must not
/// drop them (docs/wire-format.md, "Topology in etcd" and "Protobuf encoding").
/// </summary>
public sealed class UnknownFieldPreservationTests
{
    // Field 99, varint 7; field 100, bytes "abc".
    private static readonly byte[] FutureFields = [0x98, 0x06, 0x07, 0xA2, 0x06, 0x03, (byte)'a', (byte)'b', (byte)'c'];

    [Fact]
    public void Tablet_keeps_unknown_fields_through_parse_modify_serialize()
    {
        byte[] stored = [.. VitessSamples.Tablet().ToByteArray(), .. FutureFields];

        var tablet = Topodata.Tablet.Parser.ParseFrom(stored);
        tablet.Hostname = "moved.example";
        var rewritten = RawProtobufReader.Parse(tablet.ToByteArray());

        Assert.Equal("moved.example", rewritten.Single(f => f.Number == 2).AsString());
        var varint = rewritten.Single(f => f.Number == 99);
        Assert.Equal((ProtoWireType.Varint, 7UL), (varint.WireType, varint.Scalar));
        var bytes = rewritten.Single(f => f.Number == 100);
        Assert.Equal((ProtoWireType.LengthDelimited, "abc"), (bytes.WireType, bytes.AsString()));
    }

    [Fact]
    public void Keyspace_keeps_an_undeclared_query_throttler_config()
    {
        // Field 12 (query_throttler_config, reserved in our proto) holding a message whose field 1 is true.
        byte[] queryThrottlerConfig = [0x62, 0x02, 0x08, 0x01];
        byte[] stored = [.. VitessSamples.Keyspace().ToByteArray(), .. queryThrottlerConfig];

        var keyspace = Topodata.Keyspace.Parser.ParseFrom(stored);
        keyspace.DurabilityPolicy = "cross_cell";
        var rewritten = RawProtobufReader.Parse(keyspace.ToByteArray());

        Assert.Equal("cross_cell", rewritten.Single(f => f.Number == 8).AsString());
        Assert.Equal(new byte[] { 0x08, 0x01 }, rewritten.Single(f => f.Number == 12).Value.ToArray());
    }

    [Fact]
    public void Unknown_field_inside_a_nested_tablet_control_survives_a_shard_rewrite()
    {
        var shard = new Topodata.Shard { TabletControls = { VitessSamples.TabletControl() } };
        // The tablet control bytes with a future field 7 = true appended.
        byte[] control = [.. shard.TabletControls[0].ToByteArray(), 0x38, 0x01];
        byte[] stored = [0x32, (byte)control.Length, .. control];

        var parsed = Topodata.Shard.Parser.ParseFrom(stored);
        parsed.IsPrimaryServing = true;
        var rewrittenControl = RawProtobufReader.Parse(parsed.ToByteArray()).Single(f => f.Number == 6).AsMessage();

        Assert.Contains(rewrittenControl, f => f.Number == 7 && f.WireType == ProtoWireType.Varint && f.Scalar == 1);
    }

    [Fact]
    public void Tablet_type_from_a_newer_vitess_keeps_its_number()
    {
        // Field 8 (type) = 42, a value we do not know.
        var tablet = Topodata.Tablet.Parser.ParseFrom(new byte[] { 0x40, 0x2A });

        Assert.Equal(new byte[] { 0x40, 0x2A }, tablet.ToByteArray());
    }
}
