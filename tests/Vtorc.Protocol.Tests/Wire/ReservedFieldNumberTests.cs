using Google.Protobuf.Reflection;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>Retired Vitess field numbers must stay reserved so that nobody reuses them with a different type.</summary>
public sealed class ReservedFieldNumberTests
{
    public static TheoryData<string, int[]> ReservedBySpec() => new()
    {
        { "topodata.Tablet", [3, 11, 15] },
        { "topodata.Shard", [3, 5] },
        { "topodata.Shard.TabletControl", [3] },
        { "topodata.Keyspace", [1, 2, 3, 4, 12] },
        { "topodata.SrvKeyspace", [2, 3, 4, 5, 7] },
        { "topodata.CellInfo", [3] },
        { "replicationdata.Status", [2, 3] },
        { "tabletmanagerdata.StopReplicationAndGetStatusResponse", [1] },
        { "tabletmanagerdata.DemotePrimaryResponse", [1] },
    };

    [Theory]
    [MemberData(nameof(ReservedBySpec))]
    public void Retired_numbers_are_declared_reserved(string fullName, int[] expected)
    {
        var message = FindMessage(fullName);

        var reserved = message.ReservedRange.SelectMany(r => Enumerable.Range(r.Start, r.End - r.Start)).Order();

        Assert.Equal(expected, reserved);
    }

    private static DescriptorProto FindMessage(string fullName)
    {
        FileDescriptor[] files =
        [
            Topodata.TopodataReflection.Descriptor,
            Replicationdata.ReplicationdataReflection.Descriptor,
            Tabletmanagerdata.TabletmanagerdataReflection.Descriptor,
        ];
        foreach (var file in files)
        {
            // The serialized descriptor keeps the reserved ranges, which the runtime descriptors do not expose.
            var proto = FileDescriptorProto.Parser.ParseFrom(file.SerializedData);
            if (!fullName.StartsWith(proto.Package + ".", StringComparison.Ordinal))
            {
                continue;
            }

            var path = fullName[(proto.Package.Length + 1)..].Split('.');

            var message = proto.MessageType.Single(m => m.Name == path[0]);
            foreach (var nestedName in path.Skip(1))
            {
                message = message.NestedType.Single(m => m.Name == nestedName);
            }

            return message;
        }

        throw new ArgumentException($"no Vitess message named '{fullName}'", nameof(fullName));
    }
}
