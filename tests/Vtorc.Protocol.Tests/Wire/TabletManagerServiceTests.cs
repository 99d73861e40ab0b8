using Google.Protobuf.Reflection;

namespace Vtorc.Protocol.Tests.Wire;

public sealed class TabletManagerServiceTests
{
    // The RPCs of docs/wire-format.md, "TabletManager RPCs", in that order.
    private static readonly string[] SpecRpcs =
    [
        "Ping", "FullStatus", "ReplicationStatus", "PrimaryStatus", "PrimaryPosition", "WaitForPosition",
        "StopReplication", "StartReplication", "RestartReplication", "StopReplicationAndGetStatus",
        "SetReplicationSource", "PromoteReplica", "InitPrimary", "DemotePrimary", "UndoDemotePrimary", "SetReadOnly",
        "SetReadWrite", "ChangeType", "RefreshState", "ResetReplicationParameters", "PopulateReparentJournal",
        "ReadReparentJournalInfo", "GetGlobalStatusVars", "InitReplica", "ResetReplication", "ReplicaWasPromoted",
        "ReplicaWasRestarted", "StopReplicationMinimum", "StartReplicationUntilAfter", "GetReplicas",
    ];

    private static ServiceDescriptor Service =>
        Assert.Single(Tabletmanagerservice.TabletmanagerserviceReflection.Descriptor.Services);

    [Fact]
    public void Service_full_name_gives_the_spec_grpc_path_prefix()
    {
        Assert.Equal("tabletmanagerservice.TabletManager", Service.FullName);
    }

    [Fact]
    public void Service_has_exactly_the_spec_rpcs()
    {
        Assert.Equal(SpecRpcs.Order(StringComparer.Ordinal), Service.Methods.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_rpc_is_unary_with_request_and_response_named_after_it()
    {
        Assert.All(Service.Methods, method =>
        {
            Assert.False(method.IsClientStreaming, method.Name);
            Assert.False(method.IsServerStreaming, method.Name);
            Assert.Equal($"tabletmanagerdata.{method.Name}Request", method.InputType.FullName);
            Assert.Equal($"tabletmanagerdata.{method.Name}Response", method.OutputType.FullName);
        });
    }
}
