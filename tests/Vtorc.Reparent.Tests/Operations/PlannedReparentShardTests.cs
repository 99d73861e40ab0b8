using Replicationdata;
using Topodata;
using Grpc.Core;
using Status = Replicationdata.Status;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Operations;

/// <summary>PRS and InitShardPrimary control flow against an in-memory topology and fake tablets.</summary>
public sealed class PlannedReparentShardTests
{
    private static readonly string P100 = TestShard.Alias("zone1", 100);
    private static readonly string R101 = TestShard.Alias("zone1", 101);
    private static readonly string R102 = TestShard.Alias("zone1", 102);

    private static string Pos(string range) => $"MySQL56/{UuidA}:{range}";

    private async Task<TestShard> ShardWithPrimaryAsync(string durability = DurabilityPolicyNames.None)
    {
        var shard = await TestShard.CreateAsync(durability);
        await shard.AddTabletAsync("zone1", 100, TabletType.Primary);
        await shard.AddTabletAsync("zone1", 101);
        await shard.AddTabletAsync("zone1", 102);
        await shard.SetShardPrimaryAsync("zone1", 100);
        return shard;
    }

    private static PlannedReparentShard Prs(TestShard shard, FakeTabletManager fake) => new(shard.Topo, fake, TestShard.Durability);

    private static void Replicating(FakeTabletManager fake, string alias, string position) =>
        fake.Returns(alias, "ReplicationStatus", new Status { Position = position, RelayLogPosition = position, IoState = 3, SqlState = 3 });

    /// <summary>P100 primary at 1-10, R101 caught up (the elect), R102 behind; demotion and promotion answer 1-11.</summary>
    private static FakeTabletManager GracefulHandOverToR101()
    {
        var fake = new FakeTabletManager();
        Replicating(fake, R101, Pos("1-10"));
        Replicating(fake, R102, Pos("1-9"));
        fake.Returns(P100, "PrimaryPosition", Pos("1-10"));
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-11") });
        fake.Returns(R101, "PromoteReplica", Pos("1-11"));
        return fake;
    }

    [Fact]
    public async Task Graceful_hand_over_catches_up_demotes_waits_promotes_then_repoints_with_the_journal_time()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = GracefulHandOverToR101();
        var events = new EventRecorder();

        var result = await Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new PlannedReparentOptions(), events,
            cancellationToken: TestShard.Deadline());

        Assert.Equal(R101, result.NewPrimary);
        var catchUp = fake.CallsTo("SetReplicationSource").First(c => c.Alias == R101);
        Assert.Equal($"parent={P100} timeCreatedNs=0 wait={Pos("1-10")} force=True semiSync=False heartbeat=0", catchUp.Args);
        int[] order =
        [
            fake.IndexOf("ReplicationStatus", R101),
            fake.IndexOf("PrimaryPosition", P100),
            catchUp.Sequence,
            fake.IndexOf("DemotePrimary", P100),
            fake.IndexOf("WaitForPosition", R101),
            fake.IndexOf("PromoteReplica", R101),
            fake.IndexOf("PopulateReparentJournal", R101),
        ];
        Assert.True(order.SequenceEqual(order.Order()), $"calls out of order: {string.Join(" | ", fake.Calls)}");
        Assert.Equal("force=False", fake.CallsTo("DemotePrimary").Single().Args);
        Assert.Equal($"position={Pos("1-11")}", fake.CallsTo("WaitForPosition").Single().Args);

        var journal = fake.CallsTo("PopulateReparentJournal").Single().Args;
        string created = journal.Split(' ')[0];
        Assert.NotEqual("timeCreatedNs=0", created);
        Assert.Contains($"action=PlannedReparentShard primary={R101} position={Pos("1-11")}", journal);
        var repoints = fake.CallsTo("SetReplicationSource").Where(c => c.Sequence > fake.IndexOf("PromoteReplica", R101)).ToArray();
        Assert.Equal([P100, R102], repoints.Select(c => c.Alias).Order().ToArray());
        Assert.All(repoints, c => Assert.Equal($"parent={R101} {created} wait= force=False semiSync=False heartbeat=0", c.Args));
        Assert.Empty(fake.CallsTo("UndoDemotePrimary"));
        Assert.Empty(fake.CallsTo("RefreshState"));
        Assert.True(events.Has(ReparentEventKind.CandidateRejected, $"rejected {R102}: less advanced than {R101}"), events.ToString());
        Assert.True(events.Has(ReparentEventKind.CandidateRejected, $"rejected {P100}: is the primary to avoid"), events.ToString());
    }

    [Fact]
    public async Task Elects_the_equally_advanced_replica_whose_FullStatus_reports_the_lower_server_version()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = new FakeTabletManager();
        Replicating(fake, R101, Pos("1-10"));
        Replicating(fake, R102, Pos("1-10"));
        fake.Returns(R101, "FullStatus", new FullStatus { Version = "10.11.9", VersionComment = "MariaDB Server" });
        fake.Returns(R102, "FullStatus", new FullStatus { Version = "10.6.20", VersionComment = "MariaDB Server" });
        fake.Returns(P100, "PrimaryPosition", Pos("1-10"));
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-10") });
        fake.Returns(R102, "PromoteReplica", Pos("1-10"));
        var events = new EventRecorder();

        var result = await Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new PlannedReparentOptions(), events,
            cancellationToken: TestShard.Deadline());

        Assert.Equal(R102, result.NewPrimary);
        Assert.True(events.Has(ReparentEventKind.Info, $"elected {R102}"), events.ToString());
    }

    [Fact]
    public async Task Undoes_the_demotion_when_the_primary_elect_cannot_catch_up()
    {
        await using var shard = await ShardWithPrimaryAsync(DurabilityPolicyNames.SemiSync);
        var fake = new FakeTabletManager();
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-11") });
        fake.Fails(R101, "WaitForPosition", StatusCode.DeadlineExceeded, "timed out waiting for position");
        var events = new EventRecorder();

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new PlannedReparentOptions { NewPrimary = "zone1-101" }, events, cancellationToken: TestShard.Deadline()));

        Assert.Contains($"primary-elect {R101} failed to catch up", e.Message);
        Assert.Contains("was restored as primary", e.Message);
        Assert.Null(e.NewPrimary);
        Assert.Equal("semiSync=True", fake.CallsTo("UndoDemotePrimary").Single(c => c.Alias == P100).Args);
        Assert.True(fake.IndexOf("UndoDemotePrimary", P100) > fake.IndexOf("WaitForPosition", R101));
        Assert.Empty(fake.CallsTo("PromoteReplica"));
        Assert.Empty(fake.CallsTo("PopulateReparentJournal"));
    }

    [Fact]
    public async Task A_repoint_still_running_at_the_settle_bound_is_cancelled_before_the_lock_is_released()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = GracefulHandOverToR101();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool cancelled = false;
        fake.On(R102, "SetReplicationSource", async (_, ct) =>
        {
            try
            {
                await release.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
            return null;
        });
        var events = new EventRecorder();
        // Only the settle bound can end R102's repoint: the wait-replicas-timeout is far beyond the test's deadline.
        var options = new PlannedReparentOptions { WaitReplicasTimeout = TimeSpan.FromMinutes(30), SettleReplicasTimeout = TimeSpan.FromSeconds(1) };

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, options,
            events, cancellationToken: TestShard.Deadline()));

        Assert.Equal(R101, e.NewPrimary);
        Assert.Contains(R102, e.Message);
        Assert.True(cancelled, "R102's repoint was cancelled");
        Assert.False(release.Task.IsCompleted);
        Assert.Contains(events.Events, ev => ev.Message.Contains("cancelled so that none lands after the shard lock is released", StringComparison.Ordinal));
        Assert.Equal([R101], fake.CallsTo("PopulateReparentJournal").Select(c => c.Alias));
        Assert.Empty(await shard.Topo.Locks.GetQueueAsync(Vtorc.Topo.TopoLocks.ShardPath(TestShard.Keyspace, TestShard.Shard), TestShard.Deadline()));
    }

    [Fact]
    public async Task Avoiding_a_tablet_that_is_not_the_primary_does_nothing()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = new FakeTabletManager();

        var result = await Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new PlannedReparentOptions { AvoidPrimary = "zone1-102" },
            cancellationToken: TestShard.Deadline());

        Assert.True(result.WasNoOp);
        Assert.Equal(P100, result.NewPrimary);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Fails_with_every_reason_when_no_tablet_can_be_elected()
    {
        await using var shard = await TestShard.CreateAsync(DurabilityPolicyNames.None);
        await shard.AddTabletAsync("zone1", 100, TabletType.Primary);
        await shard.AddTabletAsync("zone1", 101, TabletType.Rdonly);
        await shard.SetShardPrimaryAsync("zone1", 100);
        var fake = new FakeTabletManager();

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new PlannedReparentOptions(), cancellationToken: TestShard.Deadline()));

        Assert.StartsWith("cannot find a tablet to reparent to", e.Message);
        Assert.Equal([P100, R101], e.Reasons.Select(r => r.Alias).Order().ToArray());
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task InitShardPrimary_initialises_the_most_advanced_replica_and_refreshes_its_state()
    {
        await using var shard = await TestShard.CreateAsync(DurabilityPolicyNames.SemiSync);
        await shard.AddTabletAsync("zone1", 101);
        await shard.AddTabletAsync("zone1", 102);
        var fake = new FakeTabletManager();
        fake.Fails(R101, "ReplicationStatus", StatusCode.Unknown, TabletManagerErrorsText.NotReplica);
        fake.Fails(R102, "ReplicationStatus", StatusCode.Unknown, TabletManagerErrorsText.NotReplica);
        fake.Returns(R102, "GetGlobalStatusVars", new Dictionary<string, string> { ["Innodb_buffer_pool_pages_data"] = "500" });
        fake.Returns(R101, "GetGlobalStatusVars", new Dictionary<string, string> { ["Innodb_buffer_pool_pages_data"] = "100" });
        fake.Returns(R102, "InitPrimary", Pos("1-2"));

        var result = await Prs(shard, fake).InitShardPrimaryAsync(TestShard.Keyspace, TestShard.Shard, null, TimeSpan.FromSeconds(30),
            cancellationToken: TestShard.Deadline());

        Assert.Equal(R102, result.NewPrimary);
        Assert.Equal("semiSync=True", fake.CallsTo("InitPrimary").Single(c => c.Alias == R102).Args);
        Assert.Contains("action=InitShardPrimary", fake.CallsTo("PopulateReparentJournal").Single().Args);
        Assert.Contains("force=False semiSync=True", fake.CallsTo("SetReplicationSource").Single(c => c.Alias == R101).Args);
        Assert.True(fake.IndexOf("RefreshState", R102) > fake.IndexOf("PopulateReparentJournal", R102));
        Assert.Empty(fake.CallsTo("DemotePrimary"));
    }

    [Fact]
    public async Task InitShardPrimary_refuses_a_shard_that_has_a_primary()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = new FakeTabletManager();

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Prs(shard, fake).InitShardPrimaryAsync(TestShard.Keyspace, TestShard.Shard,
            null, TimeSpan.FromSeconds(30), cancellationToken: TestShard.Deadline()));

        Assert.Contains($"already has a primary ({P100})", e.Message);
        Assert.Empty(fake.Calls);
    }

    /// <summary>The shard record names zone1-100 but no tablet is PRIMARY (a promotion was interrupted).</summary>
    private async Task<TestShard> ShardWithoutPrimaryTabletAsync()
    {
        var shard = await TestShard.CreateAsync(DurabilityPolicyNames.None);
        await shard.AddTabletAsync("zone1", 100);
        await shard.AddTabletAsync("zone1", 101);
        await shard.AddTabletAsync("zone1", 102);
        await shard.SetShardPrimaryAsync("zone1", 100);
        return shard;
    }

    [Fact]
    public async Task Potential_promotion_demotes_every_tablet_then_promotes_the_elect_that_has_everything()
    {
        await using var shard = await ShardWithoutPrimaryTabletAsync();
        var fake = new FakeTabletManager();
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-10") });
        fake.Returns(R101, "DemotePrimary", new PrimaryStatus { Position = Pos("1-10") });
        fake.Returns(R102, "DemotePrimary", new PrimaryStatus { Position = Pos("1-9") });

        var result = await Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new PlannedReparentOptions { NewPrimary = "zone1-101" },
            cancellationToken: TestShard.Deadline());

        Assert.Equal(R101, result.NewPrimary);
        Assert.Equal([P100, R101, R102], fake.CallsTo("DemotePrimary").Select(c => c.Alias).Order().ToArray());
        Assert.True(fake.IndexOf("PromoteReplica", R101) > fake.CallsTo("DemotePrimary").Max(c => c.Sequence));
        Assert.Empty(fake.CallsTo("InitPrimary"));
    }

    [Fact]
    public async Task Potential_promotion_refuses_an_elect_that_lacks_transactions()
    {
        await using var shard = await ShardWithoutPrimaryTabletAsync();
        var fake = new FakeTabletManager();
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-10") });
        fake.Returns(R101, "DemotePrimary", new PrimaryStatus { Position = Pos("1-10") });
        fake.Returns(R102, "DemotePrimary", new PrimaryStatus { Position = Pos("1-11") });

        var e = await Assert.ThrowsAsync<ReparentDecisionException>(() => Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new PlannedReparentOptions { NewPrimary = "zone1-101" }, cancellationToken: TestShard.Deadline()));

        Assert.Contains($"primary-elect {R101} is missing transactions", e.Message);
        Assert.Equal([R102], e.Reasons.Select(r => r.Alias).ToArray());
        Assert.Empty(fake.CallsTo("PromoteReplica"));
    }

    [Fact]
    public async Task Electing_the_current_primary_finishes_a_partial_promotion()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = new FakeTabletManager();
        fake.Returns(P100, "PrimaryPosition", Pos("1-10"));

        var result = await Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard, new PlannedReparentOptions { NewPrimary = "zone1-100" },
            cancellationToken: TestShard.Deadline());

        Assert.Equal(P100, result.NewPrimary);
        Assert.True(fake.IndexOf("PrimaryPosition", P100) > fake.IndexOf("SetReadWrite", P100));
        Assert.Contains($"position={Pos("1-10")}", fake.CallsTo("PopulateReparentJournal").Single().Args);
        Assert.Empty(fake.CallsTo("DemotePrimary"));
        Assert.Empty(fake.CallsTo("PromoteReplica"));
        Assert.Equal([R101, R102], fake.CallsTo("SetReplicationSource").Select(c => c.Alias).Order().ToArray());
    }

    [Fact]
    public async Task Reports_the_new_primary_when_a_replica_cannot_be_repointed()
    {
        await using var shard = await ShardWithPrimaryAsync();
        var fake = new FakeTabletManager();
        fake.Returns(P100, "DemotePrimary", new PrimaryStatus { Position = Pos("1-11") });
        fake.On(R102, "SetReplicationSource", (call, _) => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "tablet zone1-0000000102: connection refused")));

        var e = await Assert.ThrowsAsync<ReparentOperationException>(() => Prs(shard, fake).RunAsync(TestShard.Keyspace, TestShard.Shard,
            new PlannedReparentOptions { NewPrimary = "zone1-101" }, cancellationToken: TestShard.Deadline()));

        Assert.Equal(R101, e.NewPrimary);
        Assert.Contains("retry PlannedReparentShard with the same new primary", e.Message);
        Assert.Contains(R102, e.Message);
    }
}

/// <summary>The "not a replica" text as a tablet sends it from ReplicationStatus.</summary>
internal static class TabletManagerErrorsText
{
    public const string NotReplica = Reparent.TabletManager.TabletManagerErrors.NotReplicaText;
}
