using Vtorc.Replication;

namespace Vtorc.Replication.Tests;

/// <summary>The transactions of a primary's stream that a replica holds and the primary lacks (MissingOnPrimary).</summary>
public class MissingOnPrimaryTests
{
    private const string PrimaryUuid = "00000000-0000-0000-0000-000000000001";
    private const string ReplicaUuid = "00000000-0000-0000-0000-000000000002";

    private static MariaDbBinlogState S(string text) => MariaDbBinlogState.Parse(text);

    private static MariaDbGtidPosition P(string text) => MariaDbGtidPosition.Parse(text);

    private static GtidSet G(string text) => GtidSet.Parse(text);

    [Fact]
    public void A_commit_the_primary_truncated_in_crash_recovery_is_missing_on_it()
    {
        // Primary (server 1) wrote 0-1-101, the replica (server 2) received it, the primary's crash recovery removed it.
        Assert.Equal([new MariaDbGtid(0, 1, 101)], MissingOnPrimary.MariaDb(S("0-1-101"), 2, S("0-1-100")));
        Assert.Equal([new MariaDbGtid(0, 1, 101)], MissingOnPrimary.MariaDb(P("0-1-101"), 2, P("0-1-100")));
    }

    [Fact]
    public void A_replicas_own_errant_write_does_not_make_the_primary_behind()
    {
        Assert.Empty(MissingOnPrimary.MariaDb(S("0-1-100,0-2-101"), 2, S("0-1-100")));
        Assert.Empty(MissingOnPrimary.MariaDb(P("0-2-101"), 2, P("0-1-100")));
        Assert.True(MissingOnPrimary.MySql(G($"{PrimaryUuid}:1-100,{ReplicaUuid}:1"), ServerUuid.Parse(ReplicaUuid), G($"{PrimaryUuid}:1-100")).IsEmpty);
    }

    [Fact]
    public void A_lagging_or_caught_up_replica_holds_nothing_the_primary_lacks()
    {
        Assert.Empty(MissingOnPrimary.MariaDb(S("0-1-90"), 2, S("0-1-100")));
        Assert.Empty(MissingOnPrimary.MariaDb(S("0-1-100"), 2, S("0-1-100")));
        Assert.True(MissingOnPrimary.MySql(G($"{PrimaryUuid}:1-90"), ServerUuid.Parse(ReplicaUuid), G($"{PrimaryUuid}:1-100")).IsEmpty);
    }

    [Fact]
    public void An_older_writer_below_the_primarys_end_of_the_domain_is_not_missing()
    {
        // Server 3 was primary before; its 0-3-50 reached the replica but not this primary, which then wrote up to
        // 0-1-60. That is divergence in the middle of the stream, not commits the primary lost at its end.
        Assert.Empty(MissingOnPrimary.MariaDb(S("0-3-50"), 2, S("0-3-40,0-1-60")));
    }

    [Fact]
    public void A_domain_the_primary_never_had_is_missing_on_it()
    {
        Assert.Equal([new MariaDbGtid(5, 1, 3)], MissingOnPrimary.MariaDb(S("0-1-100,5-1-3"), 2, S("0-1-100")));
    }

    [Fact]
    public void MySQL_transactions_of_the_primary_beyond_its_executed_set_are_missing_on_it()
    {
        var missing = MissingOnPrimary.MySql(G($"{PrimaryUuid}:1-101"), ServerUuid.Parse(ReplicaUuid), G($"{PrimaryUuid}:1-100"));
        Assert.Equal($"{PrimaryUuid}:101", missing.ToString());
    }

    [Fact]
    public void The_last_gtid_of_a_domain_is_the_highest_sequence_whoever_wrote_it()
    {
        Assert.Equal(new MariaDbGtid(0, 1, 60), MissingOnPrimary.LastInDomain(S("0-3-40,0-1-60,1-3-99").Gtids, 0));
        Assert.Null(MissingOnPrimary.LastInDomain(S("0-1-60").Gtids, 7));
    }
}
