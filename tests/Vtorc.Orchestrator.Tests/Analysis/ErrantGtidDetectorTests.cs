using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>As go/vt/vtorc/inst/instance_dao.go (detectErrantGTIDs): ancestry, depth, co-primary and errant GTIDs
/// computed at poll time.</summary>
public sealed class ErrantGtidDetectorTests
{
    private const string PrimaryUuid = "11111111-1111-1111-1111-111111111111";
    private const string ReplicaUuid = "22222222-2222-2222-2222-222222222222";
    private const string OtherUuid = "33333333-3333-3333-3333-333333333333";
    private const string PrimaryAlias = "zone1-0000000100";
    private const string ReplicaAlias = "zone1-0000000101";
    private const string OtherAlias = "zone1-0000000102";

    private static InstanceObservation Instance(string alias, string host, string uuid, string executed,
        string sourceHost = "", string sourceUuid = "") => new()
    {
        Alias = alias,
        Hostname = host,
        Port = 3306,
        ServerUuid = uuid,
        ExecutedGtidSet = executed,
        SourceHost = sourceHost,
        SourcePort = sourceHost.Length == 0 ? 0 : 3306,
        SourceUuid = sourceUuid,
        LastChecked = ShardScenario.Now,
        LastSeen = ShardScenario.Now,
        LastAttemptedCheck = ShardScenario.Now,
    };

    private static readonly InstanceObservation Primary =
        Instance(PrimaryAlias, "p", PrimaryUuid, $"MySQL56/{PrimaryUuid}:1-100") with { AncestryUuid = PrimaryUuid };

    [Fact]
    public void A_replica_with_a_transaction_of_its_own_has_it_as_errant()
    {
        var replica = Instance(ReplicaAlias, "r", ReplicaUuid, $"MySQL56/{PrimaryUuid}:1-90,{ReplicaUuid}:1-3", "p", PrimaryUuid);
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [Primary]);
        Assert.Equal($"{ReplicaUuid}:1-3", result.GtidErrant);
        Assert.Equal(3, result.GtidErrantCount);
        Assert.Equal($"{PrimaryUuid},{ReplicaUuid}", result.AncestryUuid);
        Assert.Equal(1, result.ReplicationDepth);
        Assert.False(result.IsCoPrimary);
    }

    [Fact]
    public void A_replica_behind_its_primary_has_no_errant_gtids()
    {
        var replica = Instance(ReplicaAlias, "r", ReplicaUuid, $"MySQL56/{PrimaryUuid}:1-90", "p", PrimaryUuid);
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [Primary]);
        Assert.Equal("", result.GtidErrant);
        Assert.Equal(0, result.GtidErrantCount);
    }

    [Fact]
    public void The_shard_primary_never_has_errant_gtids()
    {
        var stale = Primary with { ExecutedGtidSet = $"MySQL56/{PrimaryUuid}:1-100,{OtherUuid}:1-5", GtidErrant = "leftover" };
        var otherReplica = Instance(OtherAlias, "o", OtherUuid, $"MySQL56/{PrimaryUuid}:1-100");
        var result = ErrantGtidDetector.Apply(stale, PrimaryAlias, [otherReplica]);
        Assert.Equal("", result.GtidErrant);
        Assert.Equal(PrimaryUuid, result.AncestryUuid);
        Assert.Equal(0, result.ReplicationDepth);
    }

    [Fact]
    public void A_replica_of_another_replica_is_compared_with_the_shard_primary()
    {
        // Transactions 1-5 of a fourth server reached the shard primary and this replica but not the intermediate
        // replica "o": against "o" they would look errant, against the shard primary they are not.
        const string FourthUuid = "44444444-4444-4444-4444-444444444444";
        var primary = Primary with { ExecutedGtidSet = $"MySQL56/{PrimaryUuid}:1-100,{FourthUuid}:1-5" };
        var intermediate = Instance(OtherAlias, "o", OtherUuid, $"MySQL56/{PrimaryUuid}:1-50", "p", PrimaryUuid)
            with { AncestryUuid = $"{PrimaryUuid},{OtherUuid}", ReplicationDepth = 1 };
        var replica = Instance(ReplicaAlias, "r", ReplicaUuid, $"MySQL56/{PrimaryUuid}:1-90,{FourthUuid}:1-5", "o", OtherUuid);
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [primary, intermediate]);
        Assert.Equal("", result.GtidErrant);
        var withoutShardPrimary = ErrantGtidDetector.Apply(replica, "", [primary, intermediate]);
        Assert.Equal($"{FourthUuid}:1-5", withoutShardPrimary.GtidErrant);
        Assert.Equal(2, result.ReplicationDepth);
        Assert.Equal($"{PrimaryUuid},{OtherUuid},{ReplicaUuid}", result.AncestryUuid);
    }

    [Fact]
    public void A_replica_replicating_from_nobody_is_compared_with_the_shard_primary()
    {
        var replica = Instance(ReplicaAlias, "r", ReplicaUuid, $"MySQL56/{PrimaryUuid}:1-90,{OtherUuid}:7");
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [Primary]);
        Assert.Equal($"{OtherUuid}:7", result.GtidErrant);
        Assert.Equal(1, result.GtidErrantCount);
    }

    [Fact]
    public void Co_primaries_are_detected_and_their_ancestry_is_the_pair()
    {
        var a = Instance(OtherAlias, "o", OtherUuid, $"MySQL56/{OtherUuid}:1-5", "r", ReplicaUuid);
        var b = Instance(ReplicaAlias, "r", ReplicaUuid, $"MySQL56/{OtherUuid}:1-5", "o", OtherUuid);
        var result = ErrantGtidDetector.Apply(b, "", [a]);
        Assert.True(result.IsCoPrimary);
        Assert.Equal($"{OtherUuid},{ReplicaUuid}", result.AncestryUuid);
    }

    [Fact]
    public void MariaDb_positions_are_not_checked()
    {
        var replica = Instance(ReplicaAlias, "r", ReplicaUuid, "MariaDB/0-101-5", "p", PrimaryUuid);
        var primary = Primary with { ExecutedGtidSet = "MariaDB/0-100-3" };
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [primary]);
        Assert.Equal("", result.GtidErrant);
        Assert.Equal(1, result.ReplicationDepth);
    }

    [Fact]
    public void An_older_observation_of_the_same_tablet_is_ignored()
    {
        var replica = Instance(ReplicaAlias, "r", ReplicaUuid, $"MySQL56/{PrimaryUuid}:1-90,{ReplicaUuid}:1", "p", PrimaryUuid);
        var previous = replica with { GtidErrant = "old", ReplicationDepth = 7 };
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [previous, Primary]);
        Assert.Equal($"{ReplicaUuid}:1", result.GtidErrant);
        Assert.Equal(1, result.ReplicationDepth);
    }

    [Fact]
    public void Errant_gtids_found_at_poll_time_surface_as_ErrantGTIDDetected()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        var r1 = s.Replica(101);
        string primaryUuid = ShardScenario.UuidOf(100);
        string replicaUuid = ShardScenario.UuidOf(101);
        s.Observe(p, o => o with { ExecutedGtidSet = $"MySQL56/{primaryUuid}:1-10", AncestryUuid = primaryUuid });
        var snapshot = s.Build();
        var polled = snapshot.Observations[r1] with { ExecutedGtidSet = $"MySQL56/{primaryUuid}:1-10,{replicaUuid}:1-2" };
        var withErrant = ErrantGtidDetector.Apply(polled, snapshot.Shard.PrimaryAlias, snapshot.Observations.Values);
        s.Observe(r1, _ => withErrant);
        Assert.Equal(AnalysisCodes.ErrantGtidDetected, s.AnalysisOf(r1)!.Analysis);
        Assert.Equal($"{replicaUuid}:1-2", s.AnalysisOf(r1)!.ErrantGTID);
    }
    private static readonly InstanceObservation MariaDbPrimary =
        Instance(PrimaryAlias, "p", PrimaryUuid, "MariaDB/0-100-50") with { ServerId = 100 };

    private static InstanceObservation MariaDbReplica(string executed) =>
        Instance(ReplicaAlias, "r", ReplicaUuid, executed, "p", PrimaryUuid) with { ServerId = 101 };

    [Fact]
    public void A_MariaDB_replica_with_a_write_of_its_own_beyond_the_primary_has_it_as_errant()
    {
        var result = ErrantGtidDetector.Apply(MariaDbReplica("MariaDB/0-101-52"), PrimaryAlias, [MariaDbPrimary]);
        Assert.Equal("0-101-52", result.GtidErrant);
        Assert.Equal(2, result.GtidErrantCount);
    }

    [Fact]
    public void A_MariaDB_replica_with_its_own_write_in_a_domain_the_primary_lacks_has_it_as_errant()
    {
        var result = ErrantGtidDetector.Apply(MariaDbReplica("MariaDB/0-100-50,7-101-3"), PrimaryAlias, [MariaDbPrimary]);
        Assert.Equal("7-101-3", result.GtidErrant);
        Assert.Equal(1, result.GtidErrantCount);
    }

    [Theory]
    [InlineData("MariaDB/0-100-45")] // behind the primary
    [InlineData("MariaDB/0-100-55")] // ahead of a primary observation one poll older: the primary's own writes
    [InlineData("MariaDB/0-101-40")] // its own old write (from when it was primary) that the primary has passed
    public void A_MariaDB_replica_without_unreplicated_writes_of_its_own_has_no_errant_gtids(string executed)
    {
        var result = ErrantGtidDetector.Apply(MariaDbReplica(executed), PrimaryAlias, [MariaDbPrimary]);
        Assert.Equal("", result.GtidErrant);
        Assert.Equal(0, result.GtidErrantCount);
    }

    [Fact]
    public void With_binlog_states_an_own_write_below_the_primarys_sequence_is_errant()
    {
        // Issue 12 finding 1: the old primary 101 wrote 0-101-41 after the new primary 100 had taken over at 40 and
        // gone on to 50. The position 0-101-41 is "behind" 0-100-50; the binlog states show the divergence.
        var primary = MariaDbPrimary with { GtidBinlogState = "0-100-50,0-101-40" };
        var replica = MariaDbReplica("MariaDB/0-101-41") with { GtidBinlogState = "0-101-41" };
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [primary]);
        Assert.Equal("0-101-41", result.GtidErrant);
        Assert.Equal(1, result.GtidErrantCount);
    }

    [Fact]
    public void With_binlog_states_a_lagging_replica_has_no_errant_gtids()
    {
        var primary = MariaDbPrimary with { GtidBinlogState = "0-100-50,0-101-40" };
        var replica = MariaDbReplica("MariaDB/0-100-45") with { GtidBinlogState = "0-100-45,0-101-40" };
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [primary]);
        Assert.Equal("", result.GtidErrant);
    }

    [Fact]
    public void Binlog_states_are_not_compared_with_a_primary_observed_before_its_promotion()
    {
        // The new primary was last polled as a replica, before it caught up on the old primary 99's last writes.
        var primary = MariaDbPrimary with { GtidBinlogState = "0-99-40", SourceHost = "old", SourcePort = 3306 };
        var replica = MariaDbReplica("MariaDB/0-99-42") with { GtidBinlogState = "0-99-42" };
        var result = ErrantGtidDetector.Apply(replica, PrimaryAlias, [primary]);
        Assert.Equal("", result.GtidErrant);
    }
}
