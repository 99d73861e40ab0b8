using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Replicationdata;
using Tabletmanagerdata;
using Topodata;
using Vtorc.Agent.Manager;
using Grpc.Core;
using Vtorc.Replication;
using Xunit.Abstractions;
using Vtorc.Protocol;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>The replication RPCs on a real three-member shard: repointing, promotion, demotion, positions.</summary>
public sealed class ReplicationRpcTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task InitPrimary_and_SetReplicationSource_make_rows_written_on_the_primary_appear_on_the_replicas()
    {
        var position = await BuildShardAsync();

        Assert.StartsWith("MariaDB/", position);
        var primaryRecord = await Cluster[0].TabletRecordAsync();
        Assert.Equal(TabletType.Primary, primaryRecord.Type);
        Assert.NotNull(primaryRecord.PrimaryTermStartTime);
        var shard = await Cluster.ShardRecordAsync();
        Assert.True(SameAlias(shard.PrimaryAlias, Cluster[0].Alias));
        Assert.Equal(primaryRecord.PrimaryTermStartTime, shard.PrimaryTermStartTime);

        await InsertRowsAsync(Cluster[0], 5);
        await WaitForRowsAsync(Cluster[1], 5);
        await WaitForRowsAsync(Cluster[2], 5);

        var replica = await FullStatusAsync(Cluster[1]);
        Assert.Equal(TabletType.Replica, replica.TabletType);
        Assert.NotNull(replica.ReplicationStatus);
        Assert.Equal(3, replica.ReplicationStatus.IoState);
        Assert.Equal(3, replica.ReplicationStatus.SqlState);
        Assert.Equal(Cluster[0].Server.Port, replica.ReplicationStatus.SourcePort);
        Assert.Equal(Cluster[0].Server.User, replica.ReplicationStatus.SourceUser);
        Assert.True(replica.ReplicationStatus.UsingGtid);
        Assert.Equal((uint)Cluster[0].Server.ServerId, replica.ReplicationStatus.SourceServerId);
        Assert.Equal((uint)Cluster[1].Server.ServerId, replica.ServerId);
        Assert.Matches(@"^10\.\d+\.\d+$", replica.Version); // normalised, as Vitess sends it
        Assert.True(replica.LogBinEnabled);
        Assert.True(replica.LogReplicaUpdates);
        Assert.Equal("ROW", replica.BinlogFormat);
        Assert.NotEmpty(replica.BinlogRowImage);
        Assert.True(replica.ReplicationConfiguration.ReplicaNetTimeout > 0);
        Assert.NotEmpty(replica.PrimaryStatus.FilePosition);
        var primary = await FullStatusAsync(Cluster[0]);
        Assert.Equal(TabletType.Primary, primary.TabletType);
        Assert.False(primary.ReadOnly);
        Assert.Null(primary.ReplicationStatus);
        Assert.NotEmpty(primary.PrimaryStatus.Position);
    }

    [Fact]
    public async Task DemotePrimary_and_PromoteReplica_move_the_primary_and_the_others_replicate_from_the_new_one()
    {
        await BuildShardAsync();
        await InsertRowsAsync(Cluster[0], 3);
        var termBefore = (await Cluster.ShardRecordAsync()).PrimaryTermStartTime;

        var demoted = await Cluster[0].CallAsync<DemotePrimaryRequest, DemotePrimaryResponse>("DemotePrimary", new DemotePrimaryRequest());
        Assert.True((await FullStatusAsync(Cluster[0])).ReadOnly);
        Assert.Equal(TabletType.Primary, (await Cluster[0].TabletRecordAsync()).Type); // DemotePrimary leaves the record alone
        await Cluster[1].CallAsync<WaitForPositionRequest, WaitForPositionResponse>("WaitForPosition",
            new WaitForPositionRequest { Position = demoted.PrimaryStatus.Position });

        var promoted = await Cluster[1].CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>("PromoteReplica", new PromoteReplicaRequest());
        Assert.True(ReplicationPosition.Parse(promoted.Position).Contains(ReplicationPosition.Parse(demoted.PrimaryStatus.Position)));
        var newPrimary = await FullStatusAsync(Cluster[1]);
        Assert.False(newPrimary.ReadOnly);
        Assert.Null(newPrimary.ReplicationStatus);
        Assert.Equal(TabletType.Primary, newPrimary.TabletType);
        var shard = await Cluster.ShardRecordAsync();
        Assert.True(SameAlias(shard.PrimaryAlias, Cluster[1].Alias));
        Assert.True(VtTime.Compare(shard.PrimaryTermStartTime, termBefore) > 0, "the new term is newer than the old one");
        Assert.Equal(TabletType.Primary, (await Cluster[1].TabletRecordAsync()).Type);

        // PRS-style: the journal row written on the new primary is what the repointed tablets wait for.
        var journalTime = VtTime.UnixNanoseconds(DateTimeOffset.UtcNow);
        await Cluster[1].CallAsync<PopulateReparentJournalRequest, PopulateReparentJournalResponse>("PopulateReparentJournal",
            new PopulateReparentJournalRequest
            {
                TimeCreatedNs = journalTime,
                ActionName = "PlannedReparentShard",
                PrimaryAlias = Cluster[1].Alias,
                ReplicationPosition = promoted.Position,
            });
        await ReplicateFromAsync(Cluster[0], Cluster[1], timeCreatedNs: journalTime, forceStart: false);
        await ReplicateFromAsync(Cluster[2], Cluster[1], timeCreatedNs: journalTime, forceStart: false);

        var oldPrimaryRecord = await Cluster[0].TabletRecordAsync();
        Assert.Equal(TabletType.Replica, oldPrimaryRecord.Type);
        Assert.Null(oldPrimaryRecord.PrimaryTermStartTime);
        Assert.Equal(TabletType.Replica, (await FullStatusAsync(Cluster[0])).TabletType);
        var journal = await Cluster[2].CallAsync<ReadReparentJournalInfoRequest, ReadReparentJournalInfoResponse>("ReadReparentJournalInfo",
            new ReadReparentJournalInfoRequest());
        Assert.Equal(1, journal.Length);

        await InsertRowsAsync(Cluster[1], 4);
        await WaitForRowsAsync(Cluster[0], 7);
        await WaitForRowsAsync(Cluster[2], 7);
        Assert.Equal(Cluster[1].Server.Port, (await FullStatusAsync(Cluster[0])).ReplicationStatus.SourcePort);
    }

    [Fact]
    public async Task StopReplicationAndGetStatus_stops_the_io_thread_and_reports_positions_that_compare_by_containment()
    {
        await BuildShardAsync();
        await InsertRowsAsync(Cluster[0], 3);
        await WaitForRowsAsync(Cluster[1], 3);

        var stopped = await Cluster[1].CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(
            "StopReplicationAndGetStatus", new StopReplicationAndGetStatusRequest { StopReplicationMode = StopReplicationMode.Iothreadonly });
        Assert.Equal(3, stopped.Status.Before.IoState);
        Assert.Equal(1, stopped.Status.After.IoState);
        Assert.Equal(3, stopped.Status.After.SqlState);

        await InsertRowsAsync(Cluster[0], 2);
        var primaryPosition = ReplicationPosition.Parse(await PrimaryPositionAsync(Cluster[0]));
        var replicaPosition = ReplicationPosition.Parse(stopped.Status.After.Position);
        Assert.True(primaryPosition.Contains(replicaPosition));
        Assert.False(replicaPosition.Contains(primaryPosition));
        Assert.Equal(3, await CountRowsAsync(Cluster[1]));

        // Both threads: the SQL thread stops too, and stopping again answers the unchanged status.
        var both = await Cluster[2].CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(
            "StopReplicationAndGetStatus", new StopReplicationAndGetStatusRequest { StopReplicationMode = StopReplicationMode.Ioandsqlthread });
        Assert.Equal(1, both.Status.After.IoState);
        Assert.Equal(1, both.Status.After.SqlState);
        var again = await Cluster[2].CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(
            "StopReplicationAndGetStatus", new StopReplicationAndGetStatusRequest { StopReplicationMode = StopReplicationMode.Ioandsqlthread });
        Assert.Equal(both.Status.After.Position, again.Status.After.Position);

        var onPrimary = await FailsAsync(() => Cluster[0].CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(
            "StopReplicationAndGetStatus", new StopReplicationAndGetStatusRequest { StopReplicationMode = StopReplicationMode.Iothreadonly }));
        Assert.Equal("before status failed: no replication status (errno 100) (sqlstate HY000)", onPrimary.Status.Detail);
    }

    [Fact]
    public async Task StopReplicationAndGetStatus_io_only_keeps_the_relay_log_of_a_stopped_sql_thread_applicable_and_StartReplicationUntilAfter_applies_it()
    {
        await BuildShardAsync();
        await InsertRowsAsync(Cluster[0], 2);
        await WaitForRowsAsync(Cluster[1], 2);
        await ExecuteAsync(Cluster[1], "STOP SLAVE SQL_THREAD");
        await InsertRowsAsync(Cluster[0], 3);
        var end = await PrimaryFilePositionAsync(Cluster[0]);
        await Poll.UntilAsync(async () => (await FullStatusAsync(Cluster[1])).ReplicationStatus.RelayLogSourceBinlogEquivalentPosition == end,
            TimeSpan.FromSeconds(30), $"{Cluster[1].AliasText} received {end}");
        Assert.Equal(2, await CountRowsAsync(Cluster[1]));

        var stopped = await Cluster[1].CallAsync<StopReplicationAndGetStatusRequest, StopReplicationAndGetStatusResponse>(
            "StopReplicationAndGetStatus", new StopReplicationAndGetStatusRequest { StopReplicationMode = StopReplicationMode.Iothreadonly });
        Assert.Equal(1, stopped.Status.Before.SqlState);
        Assert.Equal(1, stopped.Status.After.IoState);
        Assert.Equal(end, stopped.Status.After.RelayLogSourceBinlogEquivalentPosition);

        // MariaDB with GTID would have discarded these three received rows had both threads been stopped together.
        await Cluster[1].CallAsync<StartReplicationUntilAfterRequest, StartReplicationUntilAfterResponse>("StartReplicationUntilAfter",
            new StartReplicationUntilAfterRequest { Position = end, WaitTimeout = (long)TimeSpan.FromSeconds(20).TotalMilliseconds * 1_000_000 },
            TimeSpan.FromSeconds(30));
        Assert.Equal(5, await CountRowsAsync(Cluster[1]));

        // With both threads stopped, the agent refuses rather than let MariaDB discard a relay log.
        await ExecuteAsync(Cluster[2], "STOP SLAVE");
        var refused = await FailsAsync(() => Cluster[2].CallAsync<StartReplicationUntilAfterRequest, StartReplicationUntilAfterResponse>(
            "StartReplicationUntilAfter", new StartReplicationUntilAfterRequest { Position = end }));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("would discard the relay log", refused.Status.Detail);
    }

    private static async Task ExecuteAsync(AgentMember member, string sql)
    {
        using var connection = await member.OpenMySqlAsync();
        await connection.ExecuteAsync(sql, AgentCluster.Deadline());
    }

    private static async Task<string> PrimaryFilePositionAsync(AgentMember primary)
    {
        using var connection = await primary.OpenMySqlAsync();
        var row = (await connection.QueryAsync("SHOW MASTER STATUS", AgentCluster.Deadline())).SingleRowOrDefault()!;
        return $"FilePos/{row["File"]}:{row["Position"]}";
    }

    [Fact]
    public async Task WaitForPosition_returns_once_the_position_is_reached_and_fails_with_DEADLINE_EXCEEDED_otherwise()
    {
        await BuildShardAsync();
        await InsertRowsAsync(Cluster[0], 2);
        var reached = await PrimaryPositionAsync(Cluster[0]);
        await Cluster[1].CallAsync<WaitForPositionRequest, WaitForPositionResponse>("WaitForPosition", new WaitForPositionRequest { Position = reached });
        Assert.Equal(2, await CountRowsAsync(Cluster[1]));

        await Cluster[1].CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
        await InsertRowsAsync(Cluster[0], 1);
        var unreachable = await PrimaryPositionAsync(Cluster[0]);
        var error = await FailsAsync(() => Cluster[1].CallAsync<WaitForPositionRequest, WaitForPositionResponse>("WaitForPosition",
            new WaitForPositionRequest { Position = unreachable }, TimeSpan.FromSeconds(3)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("WaitForPosition", error.Status.Detail);
        Assert.Contains(unreachable, error.Status.Detail);

        var malformed = await FailsAsync(() => Cluster[1].CallAsync<WaitForPositionRequest, WaitForPositionResponse>("WaitForPosition",
            new WaitForPositionRequest { Position = "0-100-5" }));
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);

        await Cluster[1].CallAsync<StartReplicationRequest, StartReplicationResponse>("StartReplication", new StartReplicationRequest());
        await Cluster[1].CallAsync<WaitForPositionRequest, WaitForPositionResponse>("WaitForPosition", new WaitForPositionRequest { Position = unreachable });
        Assert.Equal(3, await CountRowsAsync(Cluster[1]));
    }

    [Fact]
    public async Task InitReplica_starts_replication_from_the_given_position()
    {
        await InitPrimaryAsync(Cluster[0]);
        await InsertRowsAsync(Cluster[0], 2);
        var start = await PrimaryPositionAsync(Cluster[0]);
        using (var replica = await Cluster[1].OpenMySqlAsync())
        {
            // The replica gets the schema by other means (as from a backup), not by replaying the events before "start".
            await replica.ExecuteAsync("CREATE DATABASE test", AgentCluster.Deadline());
            await replica.ExecuteAsync("CREATE TABLE test.t (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40))", AgentCluster.Deadline());
        }

        await Cluster[1].CallAsync<InitReplicaRequest, InitReplicaResponse>("InitReplica",
            new InitReplicaRequest { Parent = Cluster[0].Alias, ReplicationPosition = start });
        await InsertRowsAsync(Cluster[0], 3);
        await Cluster[1].CallAsync<WaitForPositionRequest, WaitForPositionResponse>("WaitForPosition",
            new WaitForPositionRequest { Position = await PrimaryPositionAsync(Cluster[0]) });

        Assert.Equal(3, await CountRowsAsync(Cluster[1]));
        Assert.Equal(Cluster[0].Server.Port, (await FullStatusAsync(Cluster[1])).ReplicationStatus.SourcePort);
    }

    [Fact]
    public async Task ReplicationStatus_answers_the_exact_errno_100_text_on_a_tablet_that_is_not_a_replica()
    {
        await InitPrimaryAsync(Cluster[0]);
        var error = await FailsAsync(() => Cluster[0].CallAsync<ReplicationStatusRequest, ReplicationStatusResponse>("ReplicationStatus",
            new ReplicationStatusRequest()));
        Assert.Equal("no replication status (errno 100) (sqlstate HY000)", error.Status.Detail);
        Assert.Equal(StatusCode.Unknown, error.StatusCode);

        await ReplicateFromAsync(Cluster[1], Cluster[0]);
        var status = await Cluster[1].CallAsync<ReplicationStatusRequest, ReplicationStatusResponse>("ReplicationStatus", new ReplicationStatusRequest());
        Assert.Equal(Cluster[0].Server.Port, status.Status.SourcePort);

        // A reparent journal row that is never written: the repointed tablet gives up at the call's deadline. 8 s, so
        // that the agent's own answer comes 0.8 s before the caller's deadline (with 3 s, 0.3 s was lost under load
        // and the caller's bare DEADLINE_EXCEEDED came first).
        var neverWritten = await FailsAsync(() => ReplicateFromAsync(Cluster[2], Cluster[0], timeCreatedNs: 12345, timeout: TimeSpan.FromSeconds(8)));
        Assert.Equal(StatusCode.DeadlineExceeded, neverWritten.StatusCode);
        Assert.Contains("12345", neverWritten.Status.Detail);
    }

    [Fact]
    public async Task SetReadOnly_SetReadWrite_ChangeType_and_ResetReplicationParameters_change_what_FullStatus_reports()
    {
        await BuildShardAsync();
        await Cluster[0].CallAsync<SetReadOnlyRequest, SetReadOnlyResponse>("SetReadOnly", new SetReadOnlyRequest());
        Assert.True((await FullStatusAsync(Cluster[0])).ReadOnly);
        await Cluster[0].CallAsync<SetReadWriteRequest, SetReadWriteResponse>("SetReadWrite", new SetReadWriteRequest());
        Assert.False((await FullStatusAsync(Cluster[0])).ReadOnly);

        await Cluster[2].CallAsync<ChangeTypeRequest, ChangeTypeResponse>("ChangeType", new ChangeTypeRequest { TabletType = TabletType.Drained });
        Assert.Equal(TabletType.Drained, (await Cluster[2].TabletRecordAsync()).Type);
        Assert.Equal(TabletType.Drained, (await FullStatusAsync(Cluster[2])).TabletType);

        await Cluster[2].CallAsync<ResetReplicationParametersRequest, ResetReplicationParametersResponse>("ResetReplicationParameters",
            new ResetReplicationParametersRequest());
        Assert.Null((await FullStatusAsync(Cluster[2])).ReplicationStatus);

        var ping = await Cluster[2].CallAsync<PingRequest, PingResponse>("Ping", new PingRequest { Payload = "payload" });
        Assert.Equal("payload", ping.Payload);
        var vars = await Cluster[0].CallAsync<GetGlobalStatusVarsRequest, GetGlobalStatusVarsResponse>("GetGlobalStatusVars",
            new GetGlobalStatusVarsRequest { Variables = { "Innodb_buffer_pool_pages_data" } });
        Assert.True(long.Parse(vars.StatusValues["Innodb_buffer_pool_pages_data"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
