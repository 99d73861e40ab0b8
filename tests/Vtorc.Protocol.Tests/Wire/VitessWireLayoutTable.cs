using Google.Protobuf;
using Tm = Tabletmanagerdata;
using static Vtorc.Protocol.Tests.Wire.VitessSamples;

namespace Vtorc.Protocol.Tests.Wire;

/// <summary>
/// The expected wire layout of every Vitess message we declare, written by hand from Vitess's proto/*.proto files
/// (not derived from the .proto files), next to a sample with all fields set. Empty layout = a message
/// without fields, whose encoding is zero bytes.
/// </summary>
internal static class VitessWireLayoutTable
{
    public sealed record Row(IMessage Sample, IReadOnlySet<FieldLayout> Expected)
    {
        public string FullName => Sample.Descriptor.FullName;
    }

    public static IReadOnlyDictionary<string, Row> Rows { get; } = Build(
        // vttime
        (Time(), "1:VARINT 2:VARINT"),
        (Duration(), "1:VARINT 2:VARINT"),
        // vtorcdata
        (VtorcKeyspace(), "1:VARINT"),
        (VtorcShard(), "1:VARINT"),
        // topodata
        (KeyRange(), "1:LEN 2:LEN"),
        (Alias(), "1:LEN 2:VARINT"),
        (Tablet(), "1:LEN 2:LEN 4:LEN 5:LEN 6:LEN 7:LEN 8:VARINT 9:LEN 10:LEN 12:LEN 13:VARINT 14:LEN 16:VARINT 17:LEN 18:LEN"),
        (Shard(), "1:LEN 2:LEN 4:LEN 6:LEN 7:VARINT 8:LEN 9:LEN"),
        (SourceShard(), "1:VARINT 2:LEN 3:LEN 4:LEN 5:LEN"),
        (TabletControl(), "1:VARINT 2:LEN 4:LEN 5:VARINT 6:VARINT"),
        (new Topodata.ThrottlerConfig(), ""),
        (Keyspace(), "5:VARINT 6:LEN 7:LEN 8:LEN 9:LEN 10:LEN 11:LEN"),
        (ShardReplication(), "1:LEN"),
        (ReplicationNode(), "1:LEN"),
        (ShardReference(), "1:LEN 2:LEN"),
        (ShardTabletControl(), "1:LEN 2:LEN 3:VARINT"),
        (SrvKeyspace(), "1:LEN 6:LEN"),
        (KeyspacePartition(), "1:VARINT 2:LEN 3:LEN"),
        (CellInfo(), "1:LEN 2:LEN"),
        (CellsAlias(), "2:LEN"),
        // replicationdata
        (Status(), "1:LEN 4:VARINT 5:LEN 6:VARINT 7:VARINT 8:LEN 9:LEN 10:LEN 11:VARINT 12:LEN 13:VARINT 14:LEN "
            + "15:VARINT 16:LEN 17:LEN 18:LEN 19:VARINT 20:VARINT 21:VARINT 22:VARINT 23:VARINT 24:VARINT 25:VARINT "
            + "26:VARINT 27:VARINT 28:VARINT 29:VARINT "
            + "10001:LEN"), // our extension gtid_binlog_state (docs/vitess-compatibility.md), unknown to Vitess
        (PrimaryStatus(), "1:LEN 2:LEN 3:LEN"),
        (StopReplicationStatus(), "1:LEN 2:LEN"),
        (Configuration(), "1:I64 2:VARINT"),
        (FullStatus(), "1:VARINT 2:LEN 3:LEN 4:LEN 5:LEN 6:LEN 7:LEN 8:VARINT 9:LEN 10:LEN 11:LEN 12:VARINT 13:VARINT "
            + "14:VARINT 15:VARINT 16:VARINT 17:VARINT 18:VARINT 19:VARINT 20:VARINT 21:VARINT 22:LEN 23:VARINT "
            + "24:VARINT 25:VARINT 26:LEN "
            + "10001:LEN 10002:I64"), // our extensions gtid_binlog_state, source_silence_seconds (docs/vitess-compatibility.md), unknown to Vitess
        (ShardPeerHealth(), "1:LEN 2:VARINT 3:LEN 4:LEN 5:LEN"),
        // tabletmanagerdata, in the order of docs/wire-format.md, "TabletManager RPCs"
        (new Tm.PingRequest { Payload = "payload" }, "1:LEN"),
        (new Tm.PingResponse { Payload = "payload" }, "1:LEN"),
        (new Tm.FullStatusRequest(), ""),
        (new Tm.FullStatusResponse { Status = FullStatus() }, "1:LEN"),
        (new Tm.ReplicationStatusRequest(), ""),
        (new Tm.ReplicationStatusResponse { Status = Status() }, "1:LEN"),
        (new Tm.PrimaryStatusRequest(), ""),
        (new Tm.PrimaryStatusResponse { Status = PrimaryStatus() }, "1:LEN"),
        (new Tm.PrimaryPositionRequest(), ""),
        (new Tm.PrimaryPositionResponse { Position = "MySQL56/x:1-5" }, "1:LEN"),
        (new Tm.WaitForPositionRequest { Position = "MySQL56/x:1-5" }, "1:LEN"),
        (new Tm.WaitForPositionResponse(), ""),
        (new Tm.StopReplicationRequest(), ""),
        (new Tm.StopReplicationResponse(), ""),
        (new Tm.StartReplicationRequest { SemiSync = true }, "1:VARINT"),
        (new Tm.StartReplicationResponse(), ""),
        (new Tm.RestartReplicationRequest { SemiSync = true }, "1:VARINT"),
        (new Tm.RestartReplicationResponse(), ""),
        (new Tm.StopReplicationAndGetStatusRequest { StopReplicationMode = Replicationdata.StopReplicationMode.Iothreadonly }, "1:VARINT"),
        (new Tm.StopReplicationAndGetStatusResponse { Status = StopReplicationStatus() }, "2:LEN"),
        (new Tm.SetReplicationSourceRequest
        {
            Parent = Alias(100),
            TimeCreatedNs = 1_700_000_000_000_000_000,
            ForceStartReplication = true,
            WaitPosition = "MySQL56/x:1-5",
            SemiSync = true,
            HeartbeatInterval = 1.5,
        }, "1:LEN 2:VARINT 3:VARINT 4:LEN 5:VARINT 6:I64"),
        (new Tm.SetReplicationSourceResponse(), ""),
        (new Tm.PromoteReplicaRequest { SemiSync = true }, "1:VARINT"),
        (new Tm.PromoteReplicaResponse { Position = "MySQL56/x:1-5" }, "1:LEN"),
        (new Tm.InitPrimaryRequest { SemiSync = true }, "1:VARINT"),
        (new Tm.InitPrimaryResponse { Position = "MySQL56/x:1-5" }, "1:LEN"),
        (new Tm.DemotePrimaryRequest { Force = true }, "1:VARINT"),
        (new Tm.DemotePrimaryResponse { PrimaryStatus = PrimaryStatus() }, "2:LEN"),
        (new Tm.UndoDemotePrimaryRequest { SemiSync = true }, "1:VARINT"),
        (new Tm.UndoDemotePrimaryResponse(), ""),
        (new Tm.SetReadOnlyRequest(), ""),
        (new Tm.SetReadOnlyResponse(), ""),
        (new Tm.SetReadWriteRequest(), ""),
        (new Tm.SetReadWriteResponse(), ""),
        (new Tm.ChangeTypeRequest { TabletType = Topodata.TabletType.Drained, SemiSync = true }, "1:VARINT 2:VARINT"),
        (new Tm.ChangeTypeResponse(), ""),
        (new Tm.RefreshStateRequest(), ""),
        (new Tm.RefreshStateResponse(), ""),
        (new Tm.ResetReplicationParametersRequest(), ""),
        (new Tm.ResetReplicationParametersResponse(), ""),
        (new Tm.PopulateReparentJournalRequest
        {
            TimeCreatedNs = 1_700_000_000_000_000_000,
            ActionName = "EmergencyReparentShard",
            PrimaryAlias = Alias(),
            ReplicationPosition = "MySQL56/x:1-5",
        }, "1:VARINT 2:LEN 3:LEN 4:LEN"),
        (new Tm.PopulateReparentJournalResponse(), ""),
        (new Tm.ReadReparentJournalInfoRequest(), ""),
        (new Tm.ReadReparentJournalInfoResponse { Length = 3 }, "1:VARINT"),
        (new Tm.GetGlobalStatusVarsRequest { Variables = { "Innodb_buffer_pool_pages_data", "Uptime" } }, "1:LEN"),
        (new Tm.GetGlobalStatusVarsResponse { StatusValues = { ["Innodb_buffer_pool_pages_data"] = "1234", ["Uptime"] = "9" } }, "1:LEN"),
        (new Tm.InitReplicaRequest
        {
            Parent = Alias(100),
            ReplicationPosition = "MySQL56/x:1-5",
            TimeCreatedNs = 1_700_000_000_000_000_000,
            SemiSync = true,
        }, "1:LEN 2:LEN 3:VARINT 4:VARINT"),
        (new Tm.InitReplicaResponse(), ""),
        (new Tm.ResetReplicationRequest(), ""),
        (new Tm.ResetReplicationResponse(), ""),
        (new Tm.ReplicaWasPromotedRequest(), ""),
        (new Tm.ReplicaWasPromotedResponse(), ""),
        (new Tm.ReplicaWasRestartedRequest { Parent = Alias(100) }, "1:LEN"),
        (new Tm.ReplicaWasRestartedResponse(), ""),
        (new Tm.StopReplicationMinimumRequest { Position = "MySQL56/x:1-5", WaitTimeout = 30_000_000_000 }, "1:LEN 2:VARINT"),
        (new Tm.StopReplicationMinimumResponse { Position = "MySQL56/x:1-5" }, "1:LEN"),
        (new Tm.StartReplicationUntilAfterRequest { Position = "MySQL56/x:1-5", WaitTimeout = 30_000_000_000 }, "1:LEN 2:VARINT"),
        (new Tm.StartReplicationUntilAfterResponse(), ""),
        (new Tm.GetReplicasRequest(), ""),
        (new Tm.GetReplicasResponse { Addrs = { "10.0.0.1:3306", "10.0.0.2:3306" } }, "1:LEN"));

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Rows.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    private static IReadOnlyDictionary<string, Row> Build(params (IMessage Sample, string Layout)[] rows)
    {
        var byName = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var (sample, layout) in rows)
        {
            var row = new Row(sample, FieldLayout.ParseSet(layout));
            if (!byName.TryAdd(row.FullName, row))
            {
                throw new InvalidOperationException($"message {row.FullName} appears twice in the layout table");
            }
        }

        return byName;
    }
}
