using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Vtorc.Protocol.Tests.Wire;

public sealed class VitessWireLayoutTests
{
    private static readonly FileDescriptor[] VitessFiles =
    [
        Vttime.VttimeReflection.Descriptor,
        Vtorcdata.VtorcdataReflection.Descriptor,
        Topodata.TopodataReflection.Descriptor,
        Replicationdata.ReplicationdataReflection.Descriptor,
        Tabletmanagerdata.TabletmanagerdataReflection.Descriptor,
    ];

    public static TheoryData<string> MessageNames() => VitessWireLayoutTable.Names();

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_field_is_encoded_with_the_spec_number_and_wire_type(string fullName)
    {
        var row = VitessWireLayoutTable.Rows[fullName];

        var encoded = RawProtobufReader.Parse(row.Sample.ToByteArray());
        var actual = encoded.Select(f => new FieldLayout(f.Number, f.WireType)).ToHashSet();

        Assert.Equal(Describe(row.Expected), Describe(actual));
    }

    [Fact]
    public void Every_declared_message_has_a_row_in_the_layout_table()
    {
        var declared = VitessFiles.SelectMany(f => f.MessageTypes).SelectMany(WithNestedNonMapTypes).Select(m => m.FullName);

        Assert.Equal(declared.Order(StringComparer.Ordinal), VitessWireLayoutTable.Rows.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void The_proto_declares_exactly_the_spec_field_numbers(string fullName)
    {
        var row = VitessWireLayoutTable.Rows[fullName];

        var declared = row.Sample.Descriptor.Fields.InFieldNumberOrder().Select(f => f.FieldNumber);

        Assert.Equal(row.Expected.Select(l => l.Number).Order(), declared);
    }

    private static IEnumerable<MessageDescriptor> WithNestedNonMapTypes(MessageDescriptor message)
    {
        var mapEntries = message.Fields.InDeclarationOrder().Where(f => f.IsMap).Select(f => f.MessageType.FullName).ToHashSet();
        yield return message;
        foreach (var nested in message.NestedTypes.Where(n => !mapEntries.Contains(n.FullName)).SelectMany(WithNestedNonMapTypes))
        {
            yield return nested;
        }
    }

    private static string Describe(IEnumerable<FieldLayout> layout) =>
        string.Join(" ", layout.OrderBy(l => l.Number).ThenBy(l => l.WireType));
}
